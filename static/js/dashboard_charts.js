// 全校概览: draws each <canvas data-chart="ID"> from the figures in the
// <script type="application/json" id="ID"> the page passes (json_script).
// A click on a bar opens the list behind it, as the link in the table does.
(function () {
  if (typeof Chart === "undefined") return;
  document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
    const source = document.getElementById(canvas.dataset.chart);
    if (!source) return;
    const spec = JSON.parse(source.textContent);
    const scales = {
      x: { stacked: !!spec.stacked, beginAtZero: true },
      y: { stacked: !!spec.stacked, beginAtZero: true },
    };
    const valueAxis = spec.horizontal ? scales.x : scales.y;
    valueAxis.ticks = { precision: 0 };
    if (spec.percent) { valueAxis.max = 100; }
    if (spec.rate_axis) {
      scales.rate = { position: "right", min: 0, max: 100, grid: { drawOnChartArea: false }, title: { display: true, text: "%" } };
    }
    new Chart(canvas, {
      type: spec.type,
      data: {
        labels: spec.labels,
        datasets: spec.datasets.map(function (d) { return Object.assign({ spanGaps: true }, d); }),
      },
      options: {
        indexAxis: spec.horizontal ? "y" : "x",
        maintainAspectRatio: false,
        scales: scales,
        onClick: function (event, elements) {
          const links = spec.links || [];
          if (elements.length && links[elements[0].index]) {
            window.location.href = links[elements[0].index];
          }
        },
      },
    });
  });
})();
