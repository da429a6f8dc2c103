// Narrowing on rtype, written as a user of the published package writes it:
// compiled against dist/ types by test/types.test.ts (strict,
// exactOptionalPropertyTypes, skipLibCheck false).
import {
  DbnStore,
  Historical,
  LiveBlocking,
  LiveThreaded,
  RType,
  isKnownRecord,
  type AnyRecord,
  type BboMsg,
  type InstrumentDefMsg,
  type InstrumentDefMsgV1,
  type InstrumentDefMsgV2,
  type KnownRecord,
  type MboMsg,
  type OhlcvMsg,
  type RecordBatch,
  type TradeMsg,
  type UnknownRecord,
  type UnknownRType,
} from 'databento-node';

function handle(rec: AnyRecord): void {
  if (rec.rtype === RType.Mbo) {
    const id: bigint = rec.order_id;
    const m: MboMsg = rec;
    void id, m;
  }
  if (rec.rtype === RType.Mbp0) {
    const t: TradeMsg = rec;
    const p: number = rec.pretty_price;
    void t, p;
  }
  if (rec.rtype === RType.Bbo1S || rec.rtype === RType.Bbo1M) {
    const b: BboMsg = rec;
    void b;
  }
  // @ts-expect-error — without narrowing, an MBO-only field is not there
  void rec.order_id;
  // @ts-expect-error — a known rtype never narrows to UnknownRecord
  if (rec.rtype === RType.Mbo) void (rec satisfies UnknownRecord);
}

function every(rec: AnyRecord): string {
  switch (rec.rtype) {
    case RType.Mbo:
      return rec.side;
    case RType.Ohlcv1S:
    case RType.Ohlcv1M:
    case RType.Ohlcv1H:
    case RType.Ohlcv1D:
    case RType.OhlcvEod:
    case RType.OhlcvDeprecated: {
      const bar: OhlcvMsg = rec;
      return String(bar.close);
    }
    case RType.InstrumentDef: {
      // A layout that changed between DBN versions: every version's class.
      const def: InstrumentDefMsg | InstrumentDefMsgV2 | InstrumentDefMsgV1 = rec;
      return def.raw_symbol;
    }
    case RType.SymbolMapping:
      return rec.stype_out_symbol;
    default: {
      // Everything else, unknown rtypes included.
      const rest: Exclude<AnyRecord, MboMsg | OhlcvMsg> = rec;
      if (!isKnownRecord(rest)) {
        const u: UnknownRecord = rest;
        const code: UnknownRType = u.rtype;
        return `unknown rtype ${code}: ${u.bytes().length} bytes`;
      }
      const known: KnownRecord = rest;
      return String(known.rtype);
    }
  }
}

export async function everyApi(): Promise<void> {
  const store = DbnStore.fromFile('x.dbn');
  for (const rec of store) if (rec.rtype === RType.Mbo) void rec.order_id;
  for await (const rec of store) if (rec.rtype === RType.Mbo) void rec.price;
  store.replay((rec) => (rec.rtype === RType.Mbo ? rec.size > 0 : undefined));
  for await (const batch of store.batches()) {
    const b: RecordBatch = batch;
    const n: number = b.length;
    b.forEach((rec) => void (rec.rtype === RType.Mbo && rec.clone().order_id));
    for (const rec of b) handle(rec);
    void n;
  }
  store.toArray().map(every);

  const live = new LiveThreaded({ dataset: 'GLBX.MDP3' });
  live.on('record', (rec) => {
    if (rec.rtype === RType.Mbp0) void rec.pretty_price;
  });
  for await (const rec of live) if (rec.rtype === RType.Mbp0) void rec.size;
  const puller = new LiveBlocking({ dataset: 'GLBX.MDP3' });
  const next = await puller.next();
  if (next?.rtype === RType.Mbo) void next.order_id;

  const hist = new Historical({ key: 'db-xxxxxxxxxxxxxxxxxxxxxxxxxxxxx' });
  const range = await hist.timeseries.getRange({ dataset: 'GLBX.MDP3', schema: 'mbo', symbols: ['ESZ4'], start: '2024-11-18' });
  for await (const rec of range) if (rec.rtype === RType.Mbo) void rec.ts_recv;
  await range.replay((rec) => void (rec.rtype === RType.Mbo && rec.action));
}
