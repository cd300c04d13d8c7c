// chart.js set up once for the monitor: only the parts it uses, animations off, no per-point parsing.

import {
  BarController, BarElement, CategoryScale, Chart, Legend, LinearScale, LineController, LineElement, PointElement, Tooltip,
  type ChartConfiguration,
} from 'chart.js';

Chart.register(LineController, LineElement, PointElement, BarController, BarElement, LinearScale, CategoryScale, Legend, Tooltip);
Chart.defaults.animation = false;
Chart.defaults.font.size = 11;
Chart.defaults.color = '#9aa4b2';
Chart.defaults.borderColor = 'rgba(154, 164, 178, 0.15)';

export { Chart };

/** A line chart over wall seconds, points given as {x, y}. */
export function lineChart(canvas: HTMLCanvasElement, datasets: { label: string; colour: string }[], yTitle: string): Chart<'line'> {
  const config: ChartConfiguration<'line'> = {
    type: 'line',
    data: {
      datasets: datasets.map((d) => ({ label: d.label, data: [], borderColor: d.colour, backgroundColor: d.colour, borderWidth: 1.5, pointRadius: 0, tension: 0, spanGaps: false })),
    },
    options: {
      responsive: true,
      maintainAspectRatio: false,
      parsing: false,
      normalized: true,
      interaction: { mode: 'nearest', intersect: false },
      plugins: { legend: { position: 'bottom', labels: { boxWidth: 10 } } },
      scales: {
        x: { type: 'linear', title: { display: true, text: 'wall time (s)' }, ticks: { maxTicksLimit: 6 } },
        y: { type: 'linear', beginAtZero: true, title: { display: true, text: yTitle }, ticks: { maxTicksLimit: 5 } },
      },
    },
  };
  return new Chart(canvas, config);
}

export function barChart(canvas: HTMLCanvasElement, label: string, colour: string, xTitle: string): Chart<'bar'> {
  return new Chart(canvas, {
    type: 'bar',
    data: { labels: [], datasets: [{ label, data: [], backgroundColor: colour }] },
    options: {
      responsive: true,
      maintainAspectRatio: false,
      plugins: { legend: { display: false } },
      scales: {
        x: { type: 'category', title: { display: true, text: xTitle }, ticks: { maxTicksLimit: 8 } },
        y: { type: 'linear', beginAtZero: true, title: { display: true, text: 'interrupts' }, ticks: { maxTicksLimit: 5 } },
      },
    },
  });
}
