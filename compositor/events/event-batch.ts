/**
 * The body of POST /v1/events: a batch of impressions and clicks, as the clients send it, in JSON or
 * as a protobuf tessera.events.v1.EventBatch. One zod schema for both; a batch that does not fit is
 * refused whole, naming its first bad field.
 */
import { fromBinary } from "@bufbuild/protobuf";
import { z } from "zod";
import { invalidParameter } from "../../api/errors.ts";
import { EventBatchSchema } from "../../protos/gen/tessera/events/v1/events_pb.js";

/** Events in one batch. */
export const EVENTS_PER_BATCH_MAX = 100;
/** A batch's body: 413 beyond. */
export const EVENTS_BODY_MAX_BYTES = 64 * 1024;
/** Ids (page view, page, instance, variant, content, …). */
export const EVENT_ID_MAX_CHARS = 128;
/** How far an event's timestamp may be from the server's clock, either way (clients' clocks drift, batches wait offline). */
export const EVENT_CLOCK_WINDOW_MS = 24 * 60 * 60 * 1000;
/** Widget and item positions. */
const POSITION_MAX = 10_000;

const id = () => {
  const problem = `must be a string of 1 to ${EVENT_ID_MAX_CHARS} characters`;
  return z.string({ error: problem }).min(1, problem).max(EVENT_ID_MAX_CHARS, problem);
};
/** Optional: absent or "" when there is none. */
const optionalId = () => {
  const problem = `must be a string of at most ${EVENT_ID_MAX_CHARS} characters`;
  return z.string({ error: problem }).max(EVENT_ID_MAX_CHARS, problem).default("");
};
const position = (min: number) => {
  const problem = `must be an integer from ${min} to ${POSITION_MAX}`;
  return z.number({ error: problem }).int(problem).min(min, problem).max(POSITION_MAX, problem);
};
const timestamp = () => {
  const problem = "must be a time in milliseconds since 1970 within 24 hours of now";
  return z
    .number({ error: problem })
    .int(problem)
    .refine((ms) => Math.abs(ms - Date.now()) <= EVENT_CLOCK_WINDOW_MS, problem);
};

const event = z.object(
  {
    type: z.enum(["impression", "click"], { error: 'must be "impression" or "click"' }),
    pageViewId: id(),
    pageId: id(),
    instanceId: id(),
    /** Zero-based, as WidgetLogging.position. */
    widgetPosition: position(0),
    variantId: optionalId(),
    experimentFlag: optionalId(),
    experimentVariation: optionalId(),
    recoRequestId: optionalId(),
    /** The item's content and its one-based position (ItemLogging.position); absent for an event of the whole widget. */
    contentId: id().optional(),
    itemPosition: position(1).optional(),
    timestamp: timestamp(),
  },
  { error: "must be an object" },
);

const batch = z.object(
  {
    events: z
      .array(event, { error: "must be an array of events" })
      .min(1, "must hold at least one event")
      .max(EVENTS_PER_BATCH_MAX, `must hold at most ${EVENTS_PER_BATCH_MAX} events`),
  },
  { error: 'must be a JSON object {"events": [...]}' },
);

export type ClientEvent = z.infer<typeof event>;

/** `events[3].type` for the path ["events", 3, "type"]. */
function fieldName(path: readonly PropertyKey[]): string {
  if (path.length === 0) return "body";
  return path.map((part, i) => (typeof part === "number" ? `[${part}]` : `${i === 0 ? "" : "."}${String(part)}`)).join("");
}

export type BatchEncoding = "json" | "protobuf";

/** The batch's fields as the JSON form has them: what the schema reads. */
function decoded(body: Buffer, encoding: BatchEncoding): unknown {
  if (encoding === "protobuf") {
    let message;
    try {
      message = fromBinary(EventBatchSchema, body);
    } catch {
      throw invalidParameter("body", "is not a tessera.events.v1.EventBatch");
    }
    // Field by field: a ClientEvent's timestamp is an int64 (bigint), its unset optional fields undefined.
    return {
      events: message.events.map((event) => ({
        type: event.type,
        pageViewId: event.pageViewId,
        pageId: event.pageId,
        instanceId: event.instanceId,
        widgetPosition: event.widgetPosition,
        variantId: event.variantId,
        experimentFlag: event.experimentFlag,
        experimentVariation: event.experimentVariation,
        recoRequestId: event.recoRequestId,
        contentId: event.contentId,
        itemPosition: event.itemPosition,
        timestamp: Number(event.timestamp),
      })),
    };
  }
  try {
    return JSON.parse(body.toString("utf8"));
  } catch {
    throw invalidParameter("body", "is not JSON");
  }
}

/** The events of a body; a 400 invalid-parameter naming the first bad field otherwise. */
export function parseEventBatch(body: Buffer, encoding: BatchEncoding): ClientEvent[] {
  const parsed = batch.safeParse(decoded(body, encoding));
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw invalidParameter(fieldName(issue.path), issue.message);
  }
  return parsed.data.events;
}
