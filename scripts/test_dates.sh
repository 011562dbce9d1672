#!/usr/bin/env bash
# Runs the date-sensitive tests (marker `calendar`, listed in tests/conftest.py)
# with the clock of pytest and everything it starts set to each boundary of
# the school year (DOMAIN.md §11): the last day of summer, the first day of
# term, New Year's Eve and Day, the end of the first term, the start of the
# second, and 29 February of a leap year. Extra arguments go to pytest.
set -uo pipefail
cd "$(dirname "$0")/.."
DATES=(2027-08-31 2027-09-01 2027-12-31 2028-01-01 2028-01-31 2028-02-01 2028-02-29)
failed=()
for day in "${DATES[@]}"; do
  echo "==> 时钟：${day}"
  TEST_CLOCK=$day bash scripts/test.sh -m "calendar and not browser and not worker" -q -p no:cacheprovider "$@" || failed+=("$day")
done
if [ ${#failed[@]} -gt 0 ]; then
  echo "==> 未通过的日期：${failed[*]}"
  exit 1
fi
echo "==> 全部日期通过：${DATES[*]}"
