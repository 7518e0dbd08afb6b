import { Context, Layer } from "effect"

export type StageStatus = "running" | "done" | "cached" | "failed" | "skipped"

export interface ProgressShape {
  /** A stage began; `expectedIn` is how many input rows it will read, when known (gives an ETA). */
  readonly start: (stage: string, expectedIn?: number) => void
  readonly advance: (stage: string, rowsIn: number, rowsOut: number) => void
  readonly finish: (stage: string, status: StageStatus) => void
  /**
   * A task that is not a stage (a publish) moved on to `update`; tasks show under the stages. Optional,
   * so that a display made before tasks existed is still one: callers go through `reportPhase`.
   */
  readonly phase?: (task: string, update: PhaseUpdate) => void
  /** Stops timers and leaves the display in its final state. */
  readonly close: () => void
}

/** Where a task stands: a publish's "staging rows" 200000/1000000, "shuffling", "shards written" 3/50, ... */
export interface PhaseUpdate {
  readonly phase: string
  /** Units done of `total` (rows, shards, files), when the phase counts them. */
  readonly done?: number
  readonly total?: number
  /** The task ended with this phase ("published v0003", "failed"): its clock stops. */
  readonly final?: boolean
}

/** Tells `progress` where `task` stands, when it shows tasks at all. */
export const reportPhase = (progress: ProgressShape, task: string, update: PhaseUpdate): void => progress.phase?.(task, update)

/** The one progress display of a run; the engine feeds it, stages never print progress themselves. */
export class Progress extends Context.Service<Progress, ProgressShape>()("autodidact/Progress") {
  static readonly silent: Layer.Layer<Progress> = Layer.succeed(Progress, {
    start: () => {},
    advance: () => {},
    finish: () => {},
    close: () => {}
  })

  /**
   * Redraws a block of lines in place: for a terminal. `extra` gives lines shown under the stages, e.g.
   * a language model's requests in flight, rate, tokens and cost.
   */
  static readonly tty = (out: NodeJS.WriteStream, extra: ExtraLines = noExtra): Layer.Layer<Progress> =>
    Layer.sync(Progress, () => renderer((lines, previous) => {
      if (previous > 0) out.write(`\x1b[${previous}A`)
      for (const line of lines) out.write(`\x1b[2K${line}\n`)
    }, 250, extra))

  /** Plain lines (start, every `everyMs`, finish): for logs and CI, where redraws would be noise. */
  static readonly plain = (write: (line: string) => void, everyMs = 5000, extra: ExtraLines = noExtra): Layer.Layer<Progress> =>
    Layer.sync(Progress, () => plainLines(write, everyMs, extra))
}

/** Lines about the run that are not a stage's (a model's traffic), read at each redraw. */
export type ExtraLines = () => ReadonlyArray<string>
const noExtra: ExtraLines = () => []

interface StageLine {
  status: StageStatus
  expectedIn?: number
  rowsIn: number
  rowsOut: number
  startedAt: number
  endedAt?: number
}

export const formatStage = (name: string, s: StageLine, now: number): string => {
  const seconds = Math.max(((s.endedAt ?? now) - s.startedAt) / 1000, 1e-3)
  const rate = s.rowsIn > 0 ? s.rowsIn / seconds : s.rowsOut / seconds
  let eta = ""
  if (s.status === "running" && s.expectedIn !== undefined && s.rowsIn > 0 && s.expectedIn > s.rowsIn) {
    eta = ` eta ${formatDuration((s.expectedIn - s.rowsIn) / (s.rowsIn / seconds))}`
  }
  const input = s.expectedIn !== undefined ? `${s.rowsIn}/${s.expectedIn} in, ` : s.rowsIn > 0 ? `${s.rowsIn} in, ` : ""
  return `${name.padEnd(18)} ${s.status.padEnd(8)} ${input}${s.rowsOut} out, ${Math.round(rate)} rows/s, ${formatDuration(seconds)}${eta}`
}

interface TaskLine {
  update: PhaseUpdate
  startedAt: number
  endedAt?: number
}

/** `publish sft        shards written 12/50, 14.2s`: the phase, its count, the task's time so far. */
export const formatPhase = (name: string, t: TaskLine, now: number): string => {
  const { phase, done, total } = t.update
  const count = done === undefined ? "" : total === undefined ? ` ${done}` : ` ${done}/${total}`
  return `${name.padEnd(18)} ${phase}${count}, ${formatDuration(Math.max(((t.endedAt ?? now) - t.startedAt) / 1000, 1e-3))}`
}

/** "9.9s" under a minute, then "2m00s": rounded to whole seconds first, so 119.6 s is never "1m60s". */
export const formatDuration = (seconds: number): string => {
  if (seconds < 59.95) return `${seconds.toFixed(1)}s`
  const whole = Math.round(seconds)
  return `${Math.floor(whole / 60)}m${String(whole % 60).padStart(2, "0")}s`
}

const track = () => {
  const stages = new Map<string, StageLine>()
  const tasks = new Map<string, TaskLine>()
  return {
    stages,
    tasks,
    /** Records the update; true when it starts or ends the task, which plain output writes. */
    phase: (task: string, update: PhaseUpdate): boolean => {
      const now = Date.now()
      const t = tasks.get(task)
      if (t === undefined || t.endedAt !== undefined) {
        tasks.set(task, { update, startedAt: now, ...(update.final ? { endedAt: now } : {}) })
        return true
      }
      t.update = update
      if (update.final) t.endedAt = now
      return update.final === true
    },
    start: (stage: string, expectedIn?: number) => {
      const line: StageLine = { status: "running", rowsIn: 0, rowsOut: 0, startedAt: Date.now() }
      if (expectedIn !== undefined) line.expectedIn = expectedIn
      stages.set(stage, line)
    },
    advance: (stage: string, rowsIn: number, rowsOut: number) => {
      const s = stages.get(stage)
      if (s) {
        s.rowsIn += rowsIn
        s.rowsOut += rowsOut
      }
    },
    finish: (stage: string, status: StageStatus) => {
      const s = stages.get(stage) ?? { status, rowsIn: 0, rowsOut: 0, startedAt: Date.now() }
      s.status = status
      s.endedAt = Date.now()
      stages.set(stage, s)
    }
  }
}

const renderer = (draw: (lines: ReadonlyArray<string>, previous: number) => void, everyMs: number, extra: ExtraLines): ProgressShape => {
  const t = track()
  let drawn = 0
  const redraw = () => {
    const now = Date.now()
    const lines = [...[...t.stages].map(([name, s]) => formatStage(name, s, now)), ...[...t.tasks].map(([name, task]) => formatPhase(name, task, now)), ...extra()]
    draw(lines, drawn)
    drawn = lines.length
  }
  const timer = setInterval(redraw, everyMs)
  timer.unref()
  return {
    start: t.start,
    advance: t.advance,
    finish: (stage, status) => {
      t.finish(stage, status)
      redraw()
    },
    phase: (task, update) => {
      t.phase(task, update)
      if (update.final) redraw()
    },
    close: () => {
      clearInterval(timer)
      redraw()
    }
  }
}

const plainLines = (write: (line: string) => void, everyMs: number, extra: ExtraLines): ProgressShape => {
  const t = track()
  const timer = setInterval(() => {
    const now = Date.now()
    let running = false
    for (const [name, s] of t.stages) {
      if (s.status !== "running") continue
      running = true
      write(formatStage(name, s, now))
    }
    for (const [name, task] of t.tasks) if (task.endedAt === undefined) write(formatPhase(name, task, now))
    if (running) for (const line of extra()) write(line)
  }, everyMs)
  timer.unref()
  return {
    start: (stage, expectedIn) => {
      t.start(stage, expectedIn)
      write(`${stage.padEnd(18)} started`)
    },
    advance: t.advance,
    finish: (stage, status) => {
      t.finish(stage, status)
      write(formatStage(stage, t.stages.get(stage)!, Date.now()))
    },
    // A line as the task starts and ends, as for a stage: the interval's lines show a long one's phases and counts.
    phase: (task, update) => {
      if (t.phase(task, update)) write(formatPhase(task, t.tasks.get(task)!, Date.now()))
    },
    close: () => clearInterval(timer)
  }
}
