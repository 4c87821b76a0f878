import { percentile } from '../lib/stats.mjs';

/**
 * The I-statement coach in-process: `coachHints(text, mode)` from the built
 * library (dist/libs/coach/src/index.js, loaded with ctx.importDist) on a
 * 2,000-character draft, timed call by call with performance.now() in this
 * process (no HTTP, no database: the coach is a pure library, and the route only
 * adds the usual request cost measured by mend-me). Target (issue 5): p99 <= 5 ms.
 * There is no raw baseline to compare with, so the rows carry no ratio.
 *
 * Run on its own with `npm run bench -- --only coach-hints` (after a build that
 * includes libs/coach), or import `measureCoachHints` from a script with any
 * build of the library.
 */

const SENTENCES = [
  'When you came home at midnight, I felt lonely because I needed to know you were okay.',
  'You always come home late and you never text.',
  "I feel like you don't care about us.",
  'Oh great, another "late meeting" 🙄',
  "He said 'you never listen' and I cried.",
  "I'm sorry you feel that way, but I was stressed.",
  "It was only a few texts, you're overreacting.",
  'Would you be willing to text me if you are going to be late?',
  'You need to delete her number.',
  "And another thing, just like when you forgot my mum's birthday.",
  "You always make me laugh when I'm down.",
  'I felt scared when you did not answer at 11pm, and I want us to plan the evenings together.',
];

/** A deterministic draft of exactly `length` characters, mixing clean sentences and ones that draw hints. */
export function coachSampleText(length = 2_000) {
  let text = '';
  for (let i = 0; text.length < length; i += 1) text += `${SENTENCES[i % SENTENCES.length]} `;
  return text.slice(0, length);
}

/**
 * Times `runs` calls after `warmup` untimed ones: wall-clock p50/p99/max in ms, and
 * the same call's CPU time (process.cpuUsage, user + system) p50/p99, which leaves
 * out the time the process waited for a core: on a loaded box the wall-clock p99 is
 * mostly preemption, the CPU p99 is what the coach costs.
 */
export function measureCoachHints(coach, { runs, warmup = 500, mode = 'accountability', text = coachSampleText() }) {
  for (let i = 0; i < warmup; i += 1) coach.coachHints(text, mode);
  const wall = new Float64Array(runs);
  const cpu = new Float64Array(runs);
  for (let i = 0; i < runs; i += 1) {
    const cpuStarted = process.cpuUsage();
    const started = performance.now();
    coach.coachHints(text, mode);
    wall[i] = performance.now() - started;
    const used = process.cpuUsage(cpuStarted);
    cpu[i] = (used.user + used.system) / 1000;
  }
  const wallValues = Array.from(wall);
  const cpuValues = Array.from(cpu);
  return {
    runs,
    p50: percentile(wallValues, 50),
    p99: percentile(wallValues, 99),
    max: Math.max(...wallValues),
    cpuP50: percentile(cpuValues, 50),
    cpuP99: percentile(cpuValues, 99),
    hints: coach.analyseText(text, mode).hints.length,
  };
}

export const scenario = {
  name: 'coach-hints',
  description: 'I-statement coach hints for a 2,000-character text, in-process (dist/libs/coach), accountability mode',
  quick: true,
  async run(ctx) {
    const coach = await ctx.importDist('libs/coach/src/index.js');
    const result = measureCoachHints(coach, { runs: ctx.quick ? 2_000 : 20_000 });
    const note = `${result.runs} calls in-process, ${result.hints} hints found per call (3 shown); target p99 <= 5 ms`;
    return [
      { metric: 'latency_p50', value: result.p50, unit: 'ms', better: 'lower', note },
      { metric: 'latency_p99', value: result.p99, unit: 'ms', better: 'lower', note },
      {
        metric: 'cpu_time_p99',
        value: result.cpuP99,
        unit: 'ms',
        better: 'lower',
        note: 'CPU time of one call (no preemption)',
      },
    ];
  },
};
