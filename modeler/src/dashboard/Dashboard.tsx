/**
 * The auditor's dashboard: running instances, open incidents and open user tasks as numbers,
 * and instances completed per day, stacked by process, as an inline SVG bar chart (the numbers
 * are counted by the server; nothing is loaded here but the counts).
 */
import { useEffect, useState } from 'react';
import { api } from '../api';
import '../instances/instances.css';

interface Dashboard {
  readonly runningInstances: number;
  readonly openIncidents: number;
  readonly openTasks: number;
  readonly days: number;
  readonly completedPerDay: { day: string; bpmnProcessId: string; count: number }[];
}

const COLORS = ['#1f5bd8', '#2e7d32', '#d97706', '#7b1fa2', '#00838f', '#c2185b', '#5d4037'];

export function DashboardPage() {
  const [dashboard, setDashboard] = useState<Dashboard>();
  const [error, setError] = useState<string>();
  useEffect(() => {
    api<Dashboard>('GET', '/api/dashboard?days=14').then(setDashboard, (e) =>
      setError((e as Error).message),
    );
  }, []);
  if (error) return <p role="alert">{error}</p>;
  if (!dashboard) return <p>Loading…</p>;
  return (
    <section className="dashboard">
      <h2>Dashboard</h2>
      <div className="tiles">
        <a className="tile" href="#/instances" data-testid="running-instances">
          <strong>{dashboard.runningInstances}</strong> running instances
        </a>
        <div className="tile" data-testid="open-incidents">
          <strong>{dashboard.openIncidents}</strong> open incidents
        </div>
        <div className="tile" data-testid="open-tasks">
          <strong>{dashboard.openTasks}</strong> open tasks
        </div>
      </div>
      <h3>Completed instances per day, last {dashboard.days} days</h3>
      <CompletedChart days={dashboard.days} data={dashboard.completedPerDay} />
    </section>
  );
}

function CompletedChart({ days, data }: { days: number; data: Dashboard['completedPerDay'] }) {
  const today = new Date();
  const dayList = Array.from({ length: days }, (_, i) => {
    const d = new Date(
      Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate() - (days - 1 - i)),
    );
    return d.toISOString().slice(0, 10);
  });
  const processes = [...new Set(data.map((d) => d.bpmnProcessId))].sort();
  const color = (id: string) => COLORS[processes.indexOf(id) % COLORS.length];
  const totals = dayList.map((day) =>
    data.filter((d) => d.day === day).reduce((sum, d) => sum + d.count, 0),
  );
  const max = Math.max(1, ...totals);
  const width = 720;
  const height = 240;
  const left = 36;
  const bottom = 28;
  const plotHeight = height - bottom - 10;
  const slot = (width - left) / days;
  const barWidth = Math.max(4, slot * 0.7);
  const y = (count: number) => (count / max) * plotHeight;

  return (
    <figure className="chart">
      <svg
        role="img"
        aria-label="Completed instances per day and process"
        viewBox={`0 0 ${width} ${height}`}
        width="100%"
        style={{ maxWidth: width }}
        data-testid="completed-chart"
      >
        <line x1={left} y1={10} x2={left} y2={10 + plotHeight} stroke="#9aa3b2" />
        <line x1={left} y1={10 + plotHeight} x2={width} y2={10 + plotHeight} stroke="#9aa3b2" />
        <text x={left - 6} y={14} textAnchor="end" fontSize="11">
          {max}
        </text>
        <text x={left - 6} y={10 + plotHeight} textAnchor="end" fontSize="11">
          0
        </text>
        {dayList.map((day, i) => {
          let top = 10 + plotHeight;
          const x = left + i * slot + (slot - barWidth) / 2;
          return (
            <g key={day}>
              {processes.map((id) => {
                const count = data.find((d) => d.day === day && d.bpmnProcessId === id)?.count ?? 0;
                if (count === 0) return null;
                top -= y(count);
                return (
                  <rect
                    key={id}
                    x={x}
                    y={top}
                    width={barWidth}
                    height={y(count)}
                    fill={color(id)}
                    data-process={id}
                    data-day={day}
                  >
                    <title>{`${day} ${id}: ${count}`}</title>
                  </rect>
                );
              })}
              {(i % Math.ceil(days / 7) === 0 || i === days - 1) && (
                <text x={x + barWidth / 2} y={height - 8} textAnchor="middle" fontSize="11">
                  {day.slice(5)}
                </text>
              )}
            </g>
          );
        })}
      </svg>
      <figcaption>
        {processes.length === 0
          ? 'No instance completed in this period.'
          : processes.map((id) => (
              <span key={id} className="chart-legend">
                <span style={{ background: color(id) }} className="swatch" /> {id}
              </span>
            ))}
      </figcaption>
    </figure>
  );
}
