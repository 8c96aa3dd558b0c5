"use client";

import { useId, useState } from "react";
import { Bar, BarChart, CartesianGrid, Tooltip, XAxis, YAxis } from "recharts";
import type { ApiKeyUsage } from "@/server/api-keys/schemas";
import { STATUS_CLASSES, countText, type StatusCounts } from "./usage-format";

// The key's requests as stacked bars by status class: per day over 90 days, or per hour over the last 48.
// The numbers come with the page (server-rendered, no fetch); the chart is drawn once the browser knows its
// width, inside a box whose height the server already reserved, so nothing below it moves.

type Period = "days" | "hours";

const PERIODS: { value: Period; label: string; caption: string }[] = [
  { value: "days", label: "90 days", caption: "Requests per day, last 90 days (UTC)" },
  { value: "hours", label: "48 hours", caption: "Requests per hour, last 48 hours (UTC)" },
];

// UTC and English on both sides: the table below renders on the server and must hydrate to the same text.
const DAY_TICK = new Intl.DateTimeFormat("en", { month: "short", day: "numeric", timeZone: "UTC" });
const DAY_FULL = new Intl.DateTimeFormat("en", { weekday: "short", month: "short", day: "numeric", year: "numeric", timeZone: "UTC" });
const HOUR_TICK = new Intl.DateTimeFormat("en", { hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZone: "UTC" });
const HOUR_FULL = new Intl.DateTimeFormat("en", {
  month: "short",
  day: "numeric",
  hour: "2-digit",
  minute: "2-digit",
  hourCycle: "h23",
  timeZone: "UTC",
});

interface Point extends StatusCounts {
  tick: string;
  full: string;
}

function points(usage: Pick<ApiKeyUsage, "days" | "hours">, period: Period): Point[] {
  if (period === "days") {
    return usage.days.map(({ date, ...counts }) => {
      const day = new Date(`${date}T00:00:00Z`);
      return { ...counts, tick: DAY_TICK.format(day), full: DAY_FULL.format(day) };
    });
  }
  return usage.hours.map(({ hour, ...counts }) => {
    const start = new Date(hour);
    return { ...counts, tick: HOUR_TICK.format(start), full: `${HOUR_FULL.format(start)} UTC` };
  });
}

function sum(rows: StatusCounts[]): StatusCounts & { requests: number } {
  const total = { "2xx": 0, "4xx": 0, "5xx": 0 };
  for (const row of rows) for (const { key } of STATUS_CLASSES) total[key] += row[key];
  return { ...total, requests: total["2xx"] + total["4xx"] + total["5xx"] };
}

/** What the chart shows, in a sentence: the svg's name for a screen reader. */
function summary(caption: string, counts: StatusCounts & { requests: number }): string {
  const parts = STATUS_CLASSES.map(({ key, label }) => `${counts[key].toLocaleString("en")} ${label}`);
  return `${caption}: ${countText(counts.requests)} (${parts.join(", ")}). The table below lists the same numbers.`;
}

export function UsageChart({ usage }: { usage: Pick<ApiKeyUsage, "days" | "hours"> }) {
  const id = useId();
  const [period, setPeriod] = useState<Period>("days");
  const data = points(usage, period);
  const shown = PERIODS.find((each) => each.value === period)!;
  const counts = sum(data);
  const busy = data.filter((point) => sum([point]).requests > 0);

  return (
    <figure className="space-y-3" aria-labelledby={`${id}-caption`}>
      <div className="flex flex-wrap items-center justify-between gap-3">
        <figcaption id={`${id}-caption`} className="text-sm font-medium text-neutral-800">
          {shown.caption}
        </figcaption>
        <div role="group" aria-label="Period" className="inline-flex rounded-md border border-neutral-300 p-0.5">
          {PERIODS.map((each) => (
            <button
              key={each.value}
              type="button"
              aria-pressed={period === each.value}
              onClick={() => setPeriod(each.value)}
              className={`rounded px-2.5 py-1 text-xs font-medium outline-none focus-visible:ring-2 focus-visible:ring-blue-600 ${
                period === each.value ? "bg-neutral-900 text-white" : "text-neutral-700 hover:bg-neutral-100"
              }`}
            >
              {each.label}
            </button>
          ))}
        </div>
      </div>

      <ul aria-label="Legend" className="flex flex-wrap gap-x-4 gap-y-1 text-xs text-neutral-700">
        {STATUS_CLASSES.map((each) => (
          <li key={each.key} className="inline-flex items-center gap-1.5">
            <span aria-hidden="true" className={`inline-block size-3 rounded-sm ${each.swatch}`} />
            <span className="font-mono">{each.key}</span> {each.label}
          </li>
        ))}
      </ul>

      {/* The height is fixed here, on the server's render too: the chart fills it once drawn. */}
      <div data-testid="usage-chart" className="h-64 w-full min-w-0">
        <BarChart
          responsive
          data={data}
          style={{ width: "100%", height: "100%" }}
          margin={{ top: 8, right: 8, bottom: 0, left: 0 }}
          aria-label={summary(shown.caption, counts)}
        >
          <CartesianGrid vertical={false} stroke="var(--color-neutral-200)" />
          <XAxis
            dataKey="tick"
            tickLine={false}
            axisLine={{ stroke: "var(--color-neutral-300)" }}
            tick={{ fill: "var(--color-neutral-600)", fontSize: 12 }}
            minTickGap={16}
          />
          <YAxis
            allowDecimals={false}
            tickLine={false}
            axisLine={false}
            width={40}
            tick={{ fill: "var(--color-neutral-600)", fontSize: 12 }}
          />
          <Tooltip
            cursor={{ fill: "var(--color-neutral-100)" }}
            labelFormatter={(_, payload) => payload?.[0]?.payload?.full ?? ""}
            contentStyle={{
              background: "var(--color-white)",
              border: "1px solid var(--color-neutral-200)",
              borderRadius: 6,
              color: "var(--color-neutral-900)",
              fontSize: 12,
            }}
            labelStyle={{ color: "var(--color-neutral-900)", fontWeight: 500 }}
          />
          {STATUS_CLASSES.map((each) => (
            <Bar
              key={each.key}
              dataKey={each.key}
              name={`${each.key} ${each.label}`}
              stackId="status"
              fill={each.color}
              isAnimationActive={false}
            />
          ))}
        </BarChart>
      </div>

      <details className="text-sm">
        <summary className="cursor-pointer text-neutral-700 hover:text-neutral-900">Show the numbers as a table</summary>
        {busy.length === 0 ? (
          <p className="mt-2 text-neutral-600">No requests in this period.</p>
        ) : (
          <div tabIndex={0} role="region" aria-label={`${shown.caption}, as a table`} className="mt-2 overflow-x-auto">
            <table className="w-full text-left text-sm tabular-nums">
              <caption className="pb-1 text-left text-xs text-neutral-600">
                {period === "days" ? "Days" : "Hours"} without requests are left out.
              </caption>
              <thead className="text-xs text-neutral-600">
                <tr>
                  <th scope="col" className="py-1 pr-4 font-medium">
                    {period === "days" ? "Day" : "Hour"}
                  </th>
                  {STATUS_CLASSES.map((each) => (
                    <th key={each.key} scope="col" className="py-1 pr-4 text-right font-medium">
                      {each.key}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody className="divide-y divide-neutral-100">
                {busy.map((point) => (
                  <tr key={point.full}>
                    <th scope="row" className="py-1 pr-4 font-normal whitespace-nowrap">
                      {point.full}
                    </th>
                    {STATUS_CLASSES.map((each) => (
                      <td key={each.key} className="py-1 pr-4 text-right">
                        {point[each.key].toLocaleString("en")}
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </details>
    </figure>
  );
}
