// The Snapshot: everything a reader produced. After this point all work is pure.

import type { K8sObject, LogEntry, ReadProblem } from '../types.js';
import { boundDocument } from './bounds.js';
import { ingest, type KEvent, type Sink, type SnapshotInfo } from './normalize.js';
import { type DecodedDoc, decodeText, looksBinary, MAX_DEPTH } from './parse.js';
import { redactText } from './redact.js';
import { checkInfoShape, checkLogShape } from './shape.js';

export interface Snapshot {
  objects: K8sObject[];
  events: KEvent[];
  logs: LogEntry[];
  problems: ReadProblem[];
  /** `apiVersion kind` → how many documents of kinds fluxdoctor does not know were skipped. */
  unknownKinds: Record<string, number>;
  info: SnapshotInfo;
  /** Where it came from: file paths, or the kubeconfig context. */
  sources: string[];
}

export function emptySnapshot(): Snapshot {
  return { objects: [], events: [], logs: [], problems: [], unknownKinds: {}, info: {}, sources: [] };
}

/** A builder that de-duplicates objects (the last read wins) and collects problems. */
export class SnapshotBuilder {
  readonly snap: Snapshot = emptySnapshot();
  private seen = new Map<string, number>();
  private eventKeys = new Set<string>();

  sink(source: string, line?: number): Sink {
    return {
      object: (o) => {
        const key = `${o.apiVersion.split('/')[0]}|${o.kind}|${o.metadata.namespace ?? ''}|${o.metadata.name}`;
        const at = this.seen.get(key);
        if (at === undefined) {
          this.seen.set(key, this.snap.objects.length);
          this.snap.objects.push(o);
        } else this.snap.objects[at] = o;
      },
      event: (e) => {
        const key = `${e.namespace}|${e.name}|${e.involved.kind}|${e.reason}|${e.lastTimestamp}`;
        if (this.eventKeys.has(key)) return;
        this.eventKeys.add(key);
        this.snap.events.push(e);
      },
      log: (l) =>
        this.snap.logs.push(
          checkLogShape(l, (m) => this.snap.problems.push({ source, line, message: m, partial: true })),
        ),
      info: (raw) => {
        const i = checkInfoShape(raw, (m) => this.snap.problems.push({ source, line, message: m, partial: true }));
        // Two snapshots of different clusters merge into one graph: say so, it is rarely meant.
        const prev = this.snap.info;
        const differs = (a?: string, b?: string) => a !== undefined && b !== undefined && a !== b;
        if (differs(prev.server, i.server) || (!prev.server && differs(prev.context, i.context)))
          this.snap.problems.push({
            source,
            line,
            message: `this snapshot was captured from another cluster (${redactText(i.server ?? i.context ?? '')}) than an earlier one (${redactText(prev.server ?? prev.context ?? '')}): their objects are merged into one report`,
            partial: false,
          });
        this.snap.info = { ...this.snap.info, ...i };
        for (const e of i.readErrors ?? [])
          this.snap.problems.push({ source: e.source, message: e.message, partial: true });
      },
      unknown: (apiVersion, kind) => {
        const k = `${apiVersion} ${kind}`;
        this.snap.unknownKinds[k] = (this.snap.unknownKinds[k] ?? 0) + 1;
      },
      invalid: (message) => this.snap.problems.push({ source, line, message, partial: true }),
      note: (message) => this.snap.problems.push({ source, line, message, partial: false }),
    };
  }

  /**
   * Ingest decoded documents. Documents from elsewhere than decodeText (the live reader's lists) are
   * bounded here first: an object nested deeper than later walks can follow loses that part.
   */
  addDocs(docs: DecodedDoc[], source: string, opts: { bounded?: boolean } = {}): void {
    for (const d of docs) {
      let value = d.value;
      if (!opts.bounded) {
        const r = boundDocument(value, { shared: false, budget: Number.POSITIVE_INFINITY, maxDepth: MAX_DEPTH });
        for (const x of r.dropped)
          this.snap.problems.push({
            source,
            line: d.line || undefined,
            message: `${x.path || 'document'}: ${x.reason}: dropped`,
            partial: true,
          });
        if (!r.kept) continue;
        value = r.value;
      }
      ingest(value, this.sink(source, d.line), source);
    }
  }

  addText(text: string, source: string): void {
    const { docs, problems } = decodeText(text, source);
    this.snap.problems.push(...problems);
    this.addDocs(docs, source, { bounded: true });
  }

  addBuffer(buf: Buffer, source: string): void {
    if (looksBinary(buf)) {
      this.snap.problems.push({ source, message: 'binary data, not YAML or JSON: skipped', partial: true });
      return;
    }
    let text: string;
    try {
      text = buf.toString('utf8');
    } catch {
      // Longer than the longest string JavaScript can hold.
      this.snap.problems.push({ source, message: 'too large to decode as text: skipped', partial: true });
      return;
    }
    this.addText(text, source);
  }

  /** Controller log lines: JSON lines; lines that are not JSON are counted, not fatal. Returns how many lines were taken. */
  addLogText(text: string, source: string): number {
    let bad = 0;
    const before = this.snap.logs.length;
    const lines = text.split('\n');
    for (let i = 0; i < lines.length; i++) {
      const l = lines[i]!.trim();
      if (!l) continue;
      // `kubectl logs --prefix` puts `[pod/name/container] ` before the JSON.
      const start = l.indexOf('{');
      if (start < 0) {
        bad++;
        continue;
      }
      let v: unknown;
      try {
        v = JSON.parse(l.slice(start));
      } catch {
        bad++;
        continue;
      }
      // JSON has no aliases, but a line may nest deeper than later walks can follow.
      const r = boundDocument(v, { shared: false, budget: Number.POSITIVE_INFINITY, maxDepth: MAX_DEPTH });
      for (const d of r.dropped)
        this.snap.problems.push({
          source,
          line: i + 1,
          message: `${d.path || 'line'}: ${d.reason}: dropped`,
          partial: true,
        });
      if (r.kept) ingest(r.value, this.sink(source), source);
    }
    if (bad > 0)
      this.snap.problems.push({ source, message: `${bad} log lines were not JSON and were skipped`, partial: false });
    return this.snap.logs.length - before;
  }

  build(): Snapshot {
    // Read problems quote names and errors from the API: masked like everything else read.
    for (const p of this.snap.problems) p.message = redactText(p.message);
    return this.snap;
  }
}
