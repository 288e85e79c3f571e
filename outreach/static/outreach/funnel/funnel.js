/* The event funnel charts: one horizontal bar per stage, and one bar per group of the chosen
 * breakdown (accepted and attended against invited). Data comes from a JSON script element. */
(function () {
  "use strict";
  const source = document.getElementById("funnel-data");
  if (!source || !window.Chart) return;
  const data = JSON.parse(source.textContent);
  const stages = document.getElementById("funnel-chart");
  if (stages) {
    new window.Chart(stages, {
      type: "bar",
      data: {
        labels: data.stages.map((s) => s.label),
        datasets: [{ label: data.title, data: data.stages.map((s) => s.count), backgroundColor: "#0b5394" }],
      },
      options: { indexAxis: "y", animation: false, plugins: { legend: { display: false } } },
    });
  }
  const groups = document.getElementById("funnel-groups-chart");
  if (groups && data.groups.length) {
    new window.Chart(groups, {
      type: "bar",
      data: {
        labels: data.groups.map((g) => g.name),
        datasets: data.series.map((s, i) => ({
          label: s.label,
          data: data.groups.map((g) => g.counts[s.key]),
          backgroundColor: ["#9fc5e8", "#0b5394", "#38761d"][i % 3],
        })),
      },
      options: { animation: false },
    });
  }
})();
