/** The shape of spec/view.ts's state view, for the code that reads it back to tell stories. */

export interface FileView {
  readonly alive: boolean;
  readonly awaiting_inodegc?: boolean;
  readonly reflink_flag: boolean;
  readonly extents: readonly string[];
  readonly entries: readonly string[];
}

export interface PageView {
  readonly mapping: string;
  readonly index?: number;
  readonly share?: number;
  readonly hwpoison: boolean;
  readonly badblock: boolean;
  readonly pins: number;
  readonly refcount: number;
}

export interface ProcessView {
  readonly kill: string;
  readonly vmas: readonly string[];
  readonly ptes: Readonly<Record<string, string>>;
  readonly fault: string;
  readonly sigbus_ar: readonly string[];
  readonly sigbus_ao: readonly string[];
  readonly sigkill?: readonly string[];
}

export interface FailureView {
  readonly phase: string;
  readonly page?: string;
  readonly current?: string;
  readonly mapped_by?: readonly string[];
  readonly entry_locked?: string;
  readonly sleeps_on?: string;
  readonly owners_left?: readonly string[];
  readonly poisons_left: number;
}

export interface StateView {
  readonly files: Readonly<Record<string, FileView>>;
  readonly pages: Readonly<Record<string, PageView>>;
  readonly processes: Readonly<Record<string, ProcessView>>;
  readonly truncate: string;
  readonly memory_failure: FailureView;
  readonly kernel_log: readonly string[];
}

/** The view as its shape (view.ts writes exactly these fields). */
export function asView(v: Readonly<Record<string, unknown>>): StateView {
  return v as unknown as StateView;
}

/** Every (slot name, file, offset) of a view, in file then offset order. */
export function slotsOf(v: StateView): { at: string; file: string; offset: number; f: FileView }[] {
  return Object.entries(v.files).flatMap(([file, f]) => f.extents.map((_, offset) => ({ at: `${file}[${offset}]`, file, offset, f })));
}

/** The slots whose DAX entry points at `page`. */
export function entriesOf(v: StateView, page: string): string[] {
  return slotsOf(v).filter((s) => s.f.entries[s.offset] === page).map((s) => s.at);
}

/** A page's owner fields as `->mapping A, ->index 0`. */
export function ownerText(p: PageView): string {
  const rest = p.share !== undefined ? `->share ${p.share}` : `->index ${p.index ?? 0}`;
  return `->mapping ${p.mapping}, ${rest}`;
}

/** Signals a process received for `page`. */
export function signalsFor(p: ProcessView, page: string): string[] {
  const out: string[] = [];
  if (p.sigbus_ar.includes(page)) out.push("SIGBUS AR");
  if (p.sigbus_ao.includes(page)) out.push("SIGBUS AO");
  if (p.sigkill?.includes(page) === true) out.push("SIGKILL");
  return out;
}
