// Spreadsheet-like score grid: Enter/arrow keys move between cells, and a
// block copied from Excel (tab-separated rows) pasted into a cell fills the
// grid from that cell to the right and downwards.
(function () {
  const form = document.getElementById("score-grid");
  if (!form) return;
  const rows = Array.from(form.querySelectorAll("tbody tr[data-row]"));
  const cell = (r, c) => (rows[r] ? rows[r].querySelector(`input[data-col="${c}"]`) : null);
  const editableCols = [0, 1].filter((c) => cell(0, c) && !cell(0, c).disabled);

  function focus(r, c) {
    const input = cell(r, c);
    if (input && !input.disabled) {
      input.focus();
      input.select();
    }
  }

  form.addEventListener("keydown", function (event) {
    const input = event.target;
    if (!input.matches("input[data-col]")) return;
    const r = rows.indexOf(input.closest("tr"));
    const c = Number(input.dataset.col);
    const i = editableCols.indexOf(c);
    if (event.key === "Enter" || event.key === "ArrowDown") {
      event.preventDefault();
      focus(r + 1, c);
    } else if (event.key === "ArrowUp") {
      event.preventDefault();
      focus(r - 1, c);
    } else if (event.key === "ArrowRight" && input.selectionEnd === input.value.length && i < editableCols.length - 1) {
      event.preventDefault();
      focus(r, editableCols[i + 1]);
    } else if (event.key === "ArrowLeft" && input.selectionStart === 0 && i > 0) {
      event.preventDefault();
      focus(r, editableCols[i - 1]);
    }
  });

  form.addEventListener("paste", function (event) {
    const input = event.target;
    if (!input.matches("input[data-col]")) return;
    const text = (event.clipboardData || window.clipboardData).getData("text");
    if (!/[\t\n]/.test(text.trim())) return; // a single value: paste normally
    event.preventDefault();
    const r0 = rows.indexOf(input.closest("tr"));
    const i0 = editableCols.indexOf(Number(input.dataset.col));
    text.replace(/\r/g, "").replace(/\n$/, "").split("\n").forEach(function (line, dr) {
      line.split("\t").forEach(function (value, dc) {
        const target = cell(r0 + dr, editableCols[i0 + dc]);
        if (target && !target.disabled) {
          target.value = value.trim();
          target.classList.remove("is-invalid");
        }
      });
    });
  });
})();
