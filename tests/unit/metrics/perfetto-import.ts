// A model of how Perfetto's trace processor imports the parts of Chrome Trace Event JSON that our
// traces use, to check in tests that flows bind where we mean them to (no Perfetto binary here).
// From its sources (json_trace_tokenizer, trace_sorter, json_trace_parser, slice_tracker,
// flow_tracker): events are sorted by ts, then events with a "dur" first (longest first), then in
// file order; 'X' and thread instants ('i', s:'t') start slices on their thread's track, first
// closing the slices that ended at or before their ts; a v1 flow event ('s', or 'f' with bp "e")
// binds to the slice on top of its track's stack, and is keyed by (id, cat, name); an 'f' whose 's'
// was not imported before it is dropped (flow_end_without_start).

export interface ImportedSlice {
  track: string;
  ts: number; // ns
  dur: number; // ns
  name: string;
  cat: string;
  parent: ImportedSlice | undefined;
}

export interface ImportedFlow {
  name: string;
  cat: string;
  out: ImportedSlice;
  in: ImportedSlice;
}

export interface ImportResult {
  slices: ImportedSlice[];
  flows: ImportedFlow[];
  stats: { flowNoEnclosingSlice: number; flowEndWithoutStart: number; flowDuplicateId: number };
}

interface JsonEvent {
  ph: string;
  name?: string;
  cat?: string;
  pid?: number;
  tid?: number;
  ts?: number;
  dur?: number;
  s?: string;
  id?: number;
  bp?: string;
}

export function importChromeTrace(doc: { traceEvents: JsonEvent[] }): ImportResult {
  const ns = (us: number | undefined) => Math.round((us ?? 0) * 1000);
  const order = doc.traceEvents.map((e, index) => ({ e, index, ts: ns(e.ts), key: e.dur !== undefined ? -ns(e.dur) : 0 }));
  order.sort((a, b) => a.ts - b.ts || a.key - b.key || a.index - b.index);
  const stacks = new Map<string, ImportedSlice[]>();
  const started = new Map<string, ImportedSlice>();
  const result: ImportResult = { slices: [], flows: [], stats: { flowNoEnclosingSlice: 0, flowEndWithoutStart: 0, flowDuplicateId: 0 } };
  for (const { e, ts } of order) {
    const track = `${e.pid}/${e.tid}`;
    const stack = stacks.get(track) ?? [];
    stacks.set(track, stack);
    const top = () => stack[stack.length - 1];
    const flowKey = `${e.id}|${e.cat}|${e.name}`;
    if (e.ph === 'X' || (e.ph === 'i' && (e.s === 't' || e.s === undefined))) {
      while (stack.length > 0 && top().ts + top().dur <= ts) stack.pop();
      const slice: ImportedSlice = { track, ts, dur: e.ph === 'X' ? ns(e.dur) : 0, name: e.name ?? '', cat: e.cat ?? '', parent: top() };
      result.slices.push(slice);
      stack.push(slice);
    } else if (e.ph === 's') {
      if (stack.length === 0) result.stats.flowNoEnclosingSlice++;
      else if (started.has(flowKey)) result.stats.flowDuplicateId++;
      else started.set(flowKey, top());
    } else if (e.ph === 'f' && e.bp === 'e') {
      const from = started.get(flowKey);
      if (stack.length === 0) result.stats.flowNoEnclosingSlice++;
      else if (from === undefined) result.stats.flowEndWithoutStart++;
      else result.flows.push({ name: e.name ?? '', cat: e.cat ?? '', out: from, in: top() });
    }
  }
  return result;
}
