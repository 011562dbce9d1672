// Workroom dashboard: activities per month (bars) and attendance rate (line).
(function () {
  const el = document.getElementById("chart-data");
  const canvas = document.getElementById("activity-chart");
  if (!el || !canvas || typeof Chart === "undefined") return;
  const data = JSON.parse(el.textContent);
  new Chart(canvas, {
    data: {
      labels: data.labels,
      datasets: [
        { type: "bar", label: "活动次数", data: data.activities, yAxisID: "y" },
        { type: "line", label: "出勤率（%）", data: data.attendance, yAxisID: "rate", spanGaps: true },
      ],
    },
    options: {
      scales: {
        y: { beginAtZero: true, ticks: { precision: 0 }, title: { display: true, text: "次数" } },
        rate: { position: "right", min: 0, max: 100, grid: { drawOnChartArea: false }, title: { display: true, text: "%" } },
      },
    },
  });
})();
