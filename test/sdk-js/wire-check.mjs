// Drives the IVS real-time emulator with the official AWS SDK for JavaScript v3 and prints ONE JSON object
// describing every step, so test/IvsServerless.IvsEmulator.Tests (JsSdkWireTests) can assert on it.
//
//   node wire-check.mjs http://127.0.0.1:PORT        (or IVS_EMULATOR_ENDPOINT=http://127.0.0.1:PORT node wire-check.mjs)
//
// Exit code: 0 when every step passed, 1 when any step failed, 2 on bad usage or a crash of the script itself.
// Only the emulator endpoint is contacted; the credentials are fake and the SDK's signature is not checked.

import { generateKeyPairSync, randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import {
  ConflictException,
  CreateEncoderConfigurationCommand,
  CreateParticipantTokenCommand,
  CreateStageCommand,
  CreateStorageConfigurationCommand,
  DeletePublicKeyCommand,
  DeleteStageCommand,
  GetCompositionCommand,
  GetEncoderConfigurationCommand,
  GetStageCommand,
  ImportPublicKeyCommand,
  IVSRealTimeClient,
  ListCompositionsCommand,
  ListEncoderConfigurationsCommand,
  ListPublicKeysCommand,
  ListTagsForResourceCommand,
  paginateListStages,
  ResourceNotFoundException,
  StartCompositionCommand,
  StopCompositionCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateStageCommand,
  ValidationException,
} from "@aws-sdk/client-ivs-realtime";

const SCRIPT_TIMEOUT_MS = 60_000;
/** Thrown by need() when an earlier step did not produce what this one uses. */
class Prerequisite extends Error {}

let finished = false;
let client = null;
const ARN = (type) => new RegExp(`^arn:aws:ivs:us-east-1:[0-9]{12}:${type}/[a-zA-Z0-9-]+$`);
const UNKNOWN_STAGE_ARN = "arn:aws:ivs:us-east-1:123456789012:stage/abcdABCDefgh";

const endpoint = (process.argv[2] ?? process.env.IVS_EMULATOR_ENDPOINT ?? "").replace(/\/+$/, "");
const report = {
  tool: "wire-check",
  sdk: { package: "@aws-sdk/client-ivs-realtime", version: sdkVersion() },
  node: process.version,
  endpoint,
  ok: false,
  steps: [],
};

if (!/^https?:\/\/[^/]+$/.test(endpoint)) {
  report.fatal = "usage: node wire-check.mjs <emulator endpoint, e.g. http://127.0.0.1:4566> (or set IVS_EMULATOR_ENDPOINT)";
  finish(2);
}

// A hung emulator must not hang the test run: print what we have and stop.
setTimeout(() => {
  report.fatal = `wire-check did not finish within ${SCRIPT_TIMEOUT_MS} ms`;
  finish(2);
}, SCRIPT_TIMEOUT_MS).unref();

// The SDK warns on stderr that releases after January 2027 need node 22; keep stderr for real problems.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
client = finished ? null : new IVSRealTimeClient({
  region: "us-east-1",
  endpoint,
  credentials: { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY" },
  maxAttempts: 1, // a retried 5xx would hide an emulator bug
  requestHandler: { requestTimeout: 10_000, connectionTimeout: 5_000 },
});

// Records what went over the wire for each call (method, path, query), so the C# side can see e.g. the
// percent-encoded ARN label and the repeated tagKeys query of UntagResource.
let wireLog = [];
client?.middlewareStack.add(
  (next) => async (args) => {
    const { method, path, query } = args.request;
    wireLog.push({ method, path, query: query ?? {} });
    return next(args);
  },
  { step: "finalizeRequest", name: "wireCheckRecorder", priority: "low" },
);

/** Shared results between steps (ARNs etc.). A step whose prerequisite failed fails as "skipped". */
const ctx = {};

if (!finished) {
  try {
    await flow();
    report.ok = report.steps.every((st) => st.ok);
    finish(report.ok ? 0 : 1);
  } catch (err) {
    report.fatal = `wire-check crashed: ${err?.stack ?? err}`;
    finish(2);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// The flow. Each step: name, then a function (s) => … using s.send / s.expectError / s.check / s.detail.

async function flow() {
  await step("CreateStage", async (s) => {
    const out = await s.send(new CreateStageCommand({
      name: "wire-check-stage",
      tags: { env: "test", owner: "wire-check" },
      participantTokenConfigurations: [
        { userId: "host", capabilities: ["PUBLISH", "SUBSCRIBE"], duration: 60, attributes: { role: "host" } },
        { userId: "viewer", capabilities: ["SUBSCRIBE"] },
      ],
    }));
    const stage = out.stage ?? {};
    s.check(ARN("stage").test(stage.arn ?? ""), `stage.arn is a stage ARN (got ${stage.arn})`);
    s.check(stage.name === "wire-check-stage", `stage.name echoed (got ${stage.name})`);
    s.check(stage.tags?.env === "test" && stage.tags?.owner === "wire-check", `stage.tags echoed (got ${JSON.stringify(stage.tags)})`);
    const tokens = out.participantTokens ?? [];
    s.check(tokens.length === 2, `two participantTokens, one per configuration (got ${tokens.length})`);
    s.check(tokens[0]?.userId === "host" && tokens[1]?.userId === "viewer", "participantTokens are in configuration order");
    s.check(tokens.every((t) => t.expirationTime instanceof Date && !Number.isNaN(t.expirationTime.getTime())),
      "every participantTokens[].expirationTime is parsed into a valid Date");
    s.check(tokens[0]?.duration === 60 && tokens[1]?.duration === 720, `durations 60 and default 720 (got ${tokens.map((t) => t.duration)})`);
    s.check(sameSet(tokens[1]?.capabilities, ["SUBSCRIBE"]), `viewer capabilities [SUBSCRIBE] (got ${tokens[1]?.capabilities})`);
    s.detail({ arn: stage.arn, tokenExpirationTimes: tokens.map((t) => iso(t.expirationTime)) });
    ctx.stageArn = stage.arn;
  });

  await step("GetStage", async (s) => {
    const out = await s.send(new GetStageCommand({ arn: need("stageArn") }));
    const stage = out.stage ?? {};
    s.check(stage.arn === ctx.stageArn, `stage.arn is the created ARN (got ${stage.arn})`);
    const e = stage.endpoints ?? {};
    s.check(/^wss:\/\//.test(e.events ?? ""), `endpoints.events is wss:// (got ${e.events})`);
    s.check(/^https:\/\//.test(e.whip ?? ""), `endpoints.whip is https:// (got ${e.whip})`);
    s.check(/^rtmp:\/\//.test(e.rtmp ?? ""), `endpoints.rtmp is rtmp:// (got ${e.rtmp})`);
    s.check(/^rtmps:\/\//.test(e.rtmps ?? ""), `endpoints.rtmps is rtmps:// (got ${e.rtmps})`);
    s.check(stage.activeSessionId === undefined, `no activeSessionId without participants (got ${stage.activeSessionId})`);
    s.check(stage.autoParticipantRecordingConfiguration?.storageConfigurationArn === "",
      "autoParticipantRecordingConfiguration defaults (storageConfigurationArn \"\")");
    s.detail({ endpoints: e });
  });

  await step("ListStages.paginate", async (s) => {
    const second = await s.send(new CreateStageCommand({ name: "wire-check-stage-2" }));
    ctx.secondStageArn = second.stage?.arn;
    const arns = [];
    let pages = 0;
    for await (const page of paginateListStages({ client, pageSize: 1 }, {})) {
      s.record("ListStages", page.$metadata);
      pages++;
      s.check((page.stages ?? []).length <= 1, `page ${pages} has at most pageSize=1 stage (got ${page.stages?.length})`);
      arns.push(...(page.stages ?? []).map((st) => st.arn));
      if (pages > 100) {
        s.check(false, "paginator stopped within 100 pages (nextToken never ended)");
        break;
      }
    }
    s.check(pages >= 2, `paginator fetched at least 2 pages (got ${pages})`);
    s.check(arns.includes(ctx.stageArn) && arns.includes(ctx.secondStageArn), "both created stages were listed");
    s.check(new Set(arns).size === arns.length, `no stage listed twice (got ${arns.length} for ${new Set(arns).size} distinct)`);
    s.detail({ pages, listed: arns.length });
  });

  await step("UpdateStage", async (s) => {
    const out = await s.send(new UpdateStageCommand({ arn: need("stageArn"), name: "wire-check-renamed" }));
    s.check(out.stage?.arn === ctx.stageArn, "stage.arn unchanged");
    s.check(out.stage?.name === "wire-check-renamed", `stage.name updated (got ${out.stage?.name})`);
    const again = await s.send(new GetStageCommand({ arn: ctx.stageArn }));
    s.check(again.stage?.name === "wire-check-renamed", `GetStage sees the new name (got ${again.stage?.name})`);
  });

  await step("CreateParticipantToken", async (s) => {
    const out = await s.send(new CreateParticipantTokenCommand({
      stageArn: need("stageArn"),
      userId: "alice",
      duration: 60,
      capabilities: ["PUBLISH"],
      attributes: { role: "guest" },
    }));
    const t = out.participantToken ?? {};
    s.check(typeof t.token === "string" && t.token.length > 0, "token is a non-empty string");
    s.check(typeof t.participantId === "string" && t.participantId.length > 0, "participantId is present");
    s.check(t.userId === "alice", `userId echoed (got ${t.userId})`);
    s.check(t.attributes?.role === "guest", `attributes echoed (got ${JSON.stringify(t.attributes)})`);
    s.check(sameSet(t.capabilities, ["PUBLISH"]), `capabilities [PUBLISH] (got ${t.capabilities})`);
    s.check(t.duration === 60, `duration 60 (got ${t.duration})`);
    s.check(t.expirationTime instanceof Date && !Number.isNaN(t.expirationTime.getTime()), "expirationTime is parsed into a valid Date");
    s.detail({ participantId: t.participantId, expirationTime: iso(t.expirationTime), tokenParts: t.token?.split(".").length });
  });

  await step("EncoderConfiguration", async (s) => {
    const video = { width: 1280, height: 720, framerate: 30, bitrate: 2_500_000 };
    const created = await s.send(new CreateEncoderConfigurationCommand({ name: "wire-check-encoder", video, tags: { env: "test" } }));
    const arn = created.encoderConfiguration?.arn;
    s.check(ARN("encoder-configuration").test(arn ?? ""), `encoderConfiguration.arn is an encoder-configuration ARN (got ${arn})`);
    ctx.encoderArn = arn;
    const got = await s.send(new GetEncoderConfigurationCommand({ arn: need("encoderArn") }));
    const v = got.encoderConfiguration?.video ?? {};
    s.check(got.encoderConfiguration?.name === "wire-check-encoder", "GetEncoderConfiguration returns the name");
    s.check(v.width === 1280 && v.height === 720 && v.framerate === 30 && v.bitrate === 2_500_000,
      `GetEncoderConfiguration returns the video settings (got ${JSON.stringify(v)})`);
    s.check(got.encoderConfiguration?.tags?.env === "test", "GetEncoderConfiguration returns the tags");
    const list = await s.send(new ListEncoderConfigurationsCommand({}));
    s.check((list.encoderConfigurations ?? []).some((e) => e.arn === arn), "ListEncoderConfigurations includes it");
    s.detail({ arn, video: v });
  });

  await step("CreateStorageConfiguration", async (s) => {
    const out = await s.send(new CreateStorageConfigurationCommand({ name: "wire-check-storage", s3: { bucketName: "wire-check-bucket" } }));
    const sc = out.storageConfiguration ?? {};
    s.check(ARN("storage-configuration").test(sc.arn ?? ""), `storageConfiguration.arn is a storage-configuration ARN (got ${sc.arn})`);
    s.check(sc.s3?.bucketName === "wire-check-bucket", `s3.bucketName echoed (got ${sc.s3?.bucketName})`);
    ctx.storageArn = sc.arn;
  });

  await step("StartComposition.idempotent", async (s) => {
    const request = {
      stageArn: need("stageArn"),
      idempotencyToken: randomUUID(),
      destinations: [{ s3: { storageConfigurationArn: need("storageArn"), encoderConfigurationArns: [need("encoderArn")] } }],
      tags: { env: "test" },
    };
    const first = await s.send(new StartCompositionCommand(request));
    const second = await s.send(new StartCompositionCommand(request));
    const c = first.composition ?? {};
    s.check(ARN("composition").test(c.arn ?? ""), `composition.arn is a composition ARN (got ${c.arn})`);
    s.check(second.composition?.arn === c.arn, `the same idempotencyToken returns the same composition (got ${c.arn} then ${second.composition?.arn})`);
    s.check(c.stageArn === ctx.stageArn, "composition.stageArn is the stage");
    s.check(["STARTING", "ACTIVE"].includes(c.state), `state STARTING or ACTIVE (got ${c.state})`);
    s.check(c.startTime === undefined || c.startTime instanceof Date, "startTime, when present, is a Date");
    ctx.compositionArn = c.arn;
    s.detail({ arn: c.arn, state: c.state });
  });

  await step("GetComposition", async (s) => {
    const out = await s.send(new GetCompositionCommand({ arn: need("compositionArn") }));
    const c = out.composition ?? {};
    s.check(c.arn === ctx.compositionArn, "composition.arn matches");
    s.check(["STARTING", "ACTIVE"].includes(c.state), `state STARTING or ACTIVE (got ${c.state})`);
    s.check(c.layout !== undefined, "layout is present (defaults)");
    const d = c.destinations ?? [];
    s.check(d.length === 1, `one destination (got ${d.length})`);
    s.check(typeof d[0]?.id === "string" && d[0].id.length > 0, "destination id present");
    s.check(d[0]?.configuration?.s3?.storageConfigurationArn === ctx.storageArn, "destination s3.storageConfigurationArn echoed");
    s.check(sameSet(d[0]?.configuration?.s3?.encoderConfigurationArns, [ctx.encoderArn]), "destination s3.encoderConfigurationArns echoed");
    s.check(d.every((x) => x.startTime === undefined || x.startTime instanceof Date), "destination startTime, when present, is a Date");
    s.check(c.tags?.env === "test", "composition tags echoed");
    s.detail({ state: c.state, destinationState: d[0]?.state, recordingPrefix: d[0]?.detail?.s3?.recordingPrefix });
  });

  await step("ListCompositions", async (s) => {
    const out = await s.send(new ListCompositionsCommand({ filterByStageArn: need("stageArn") }));
    const found = (out.compositions ?? []).filter((c) => c.arn === need("compositionArn"));
    s.check(found.length === 1, `the composition is listed once for its stage (got ${found.length})`);
    s.check(found[0]?.stageArn === ctx.stageArn, "summary stageArn matches");
    s.check(found[0]?.startTime === undefined || found[0]?.startTime instanceof Date, "summary startTime, when present, is a Date");
    s.check(Array.isArray(found[0]?.destinations), "summary destinations is a list");
  });

  await step("StopComposition", async (s) => {
    await s.send(new StopCompositionCommand({ arn: need("compositionArn") }));
    // Afterwards it is STOPPING / STOPPED, or already deleted (404): all three are what IVS does.
    try {
      const out = await s.send(new GetCompositionCommand({ arn: ctx.compositionArn }));
      s.check(["STOPPING", "STOPPED"].includes(out.composition?.state), `state after stop is STOPPING or STOPPED (got ${out.composition?.state})`);
      s.detail({ stateAfterStop: out.composition?.state });
    } catch (err) {
      s.check(err instanceof ResourceNotFoundException, `GetComposition after stop: STOPPING/STOPPED or 404 (got ${describe(err).name})`);
      s.detail({ stateAfterStop: "deleted" });
    }
  });

  await step("Tags", async (s) => {
    const resourceArn = need("stageArn");
    await s.send(new TagResourceCommand({ resourceArn, tags: { "team name": "wire check", extra: "1" } }));
    const tagged = await s.send(new ListTagsForResourceCommand({ resourceArn }));
    s.check(tagged.tags?.["team name"] === "wire check" && tagged.tags?.extra === "1", `TagResource added both tags (got ${JSON.stringify(tagged.tags)})`);
    s.check(tagged.tags?.env === "test", "tags from CreateStage are kept");
    await s.send(new UntagResourceCommand({ resourceArn, tagKeys: ["team name"] }));
    const untagged = await s.send(new ListTagsForResourceCommand({ resourceArn }));
    s.check(!("team name" in (untagged.tags ?? {})), `UntagResource removed the key with a space (got ${JSON.stringify(untagged.tags)})`);
    s.check(untagged.tags?.extra === "1" && untagged.tags?.env === "test", "UntagResource kept the other keys");
    const untag = wireLog.find((w) => w.method === "DELETE");
    s.detail({ untagRequest: untag ?? null, tagsAfterUntag: untagged.tags });
  });

  await step("PublicKeys", async (s) => {
    const { publicKey } = generateKeyPairSync("ec", { namedCurve: "P-384" });
    const pem = publicKey.export({ type: "spki", format: "pem" });
    const imported = await s.send(new ImportPublicKeyCommand({ name: "wire-check-key", publicKeyMaterial: pem, tags: { env: "test" } }));
    const key = imported.publicKey ?? {};
    s.check(ARN("public-key").test(key.arn ?? ""), `publicKey.arn is a public-key ARN (got ${key.arn})`);
    s.check(typeof key.fingerprint === "string" && key.fingerprint.length > 0, "fingerprint present");
    s.check(key.publicKeyMaterial?.includes("-----BEGIN PUBLIC KEY-----"), "publicKeyMaterial echoed");
    const list = await s.send(new ListPublicKeysCommand({}));
    s.check((list.publicKeys ?? []).some((k) => k.arn === key.arn), "ListPublicKeys includes it");
    const dup = await s.expectError(new ImportPublicKeyCommand({ publicKeyMaterial: pem }), ConflictException, 409);
    s.detail({ arn: key.arn, fingerprint: key.fingerprint, duplicateImport: dup });
    await s.send(new DeletePublicKeyCommand({ arn: key.arn }));
    const after = await s.send(new ListPublicKeysCommand({}));
    s.check(!(after.publicKeys ?? []).some((k) => k.arn === key.arn), "DeletePublicKey removed it from ListPublicKeys");
  });

  await step("Error.GetStageUnknown", async (s) => {
    const e = await s.expectError(new GetStageCommand({ arn: UNKNOWN_STAGE_ARN }), ResourceNotFoundException, 404);
    s.detail(e);
  });

  await step("Error.CreateStageBadName", async (s) => {
    const e = await s.expectError(new CreateStageCommand({ name: "bad name!" }), ValidationException, 400);
    s.detail(e);
  });

  await step("DeleteStage", async (s) => {
    await s.send(new DeleteStageCommand({ arn: need("stageArn") }));
    await s.send(new DeleteStageCommand({ arn: need("secondStageArn") }));
    const e = await s.expectError(new GetStageCommand({ arn: ctx.stageArn }), ResourceNotFoundException, 404);
    s.detail({ getAfterDelete: e });
  });

}

// ---------------------------------------------------------------------------------------------------------------

async function step(name, body) {
  const started = performance.now();
  const s = {
    name,
    ok: true,
    calls: [],
    failures: [],
    details: {},
    record(operation, metadata) {
      const requestId = metadata?.requestId;
      s.calls.push({ operation, httpStatusCode: metadata?.httpStatusCode, requestId: requestId ?? null, attempts: metadata?.attempts });
      s.check(typeof requestId === "string" && requestId.length > 0, `${operation}: $metadata.requestId is present`);
    },
    async send(command) {
      const operation = command.constructor.name.replace(/Command$/, "");
      try {
        const out = await client.send(command);
        s.record(operation, out.$metadata);
        return out;
      } catch (err) {
        s.record(operation, err?.$metadata);
        err.operation = operation;
        throw err;
      }
    },
    /** Sends a command that must fail with errorClass and status; returns what the SDK exposed. */
    async expectError(command, errorClass, status) {
      const operation = command.constructor.name.replace(/Command$/, "");
      try {
        const out = await client.send(command);
        s.record(operation, out.$metadata);
        s.check(false, `${operation} should have thrown ${errorClass.name} but succeeded`);
        return { thrown: false };
      } catch (err) {
        s.record(operation, err?.$metadata);
        const seen = describe(err);
        s.check(err instanceof errorClass, `${operation} threw ${errorClass.name} (got ${seen.name})`);
        s.check(err?.name === errorClass.name, `err.name is ${errorClass.name} (got ${err?.name})`);
        s.check(err?.$metadata?.httpStatusCode === status, `err.$metadata.httpStatusCode is ${status} (got ${err?.$metadata?.httpStatusCode})`);
        s.check(err?.$fault === "client", `err.$fault is client (got ${err?.$fault})`);
        s.check(typeof err?.exceptionMessage === "string" && err.exceptionMessage.length > 0,
          `err.exceptionMessage is non-empty (got ${JSON.stringify(err?.exceptionMessage)})`);
        return { thrown: true, ...seen };
      }
    },
    check(condition, description) {
      if (!condition) {
        s.ok = false;
        s.failures.push(description);
      }
    },
    detail(values) {
      Object.assign(s.details, values);
    },
  };

  wireLog = [];
  try {
    await body(s);
  } catch (err) {
    s.ok = false;
    if (err instanceof Prerequisite) {
      s.skipped = true;
      s.failures.push(err.message);
    } else {
      s.error = describe(err);
      s.failures.push(`unexpected error${err?.operation ? ` from ${err.operation}` : ""}: ${s.error.name}: ${s.error.exceptionMessage ?? s.error.message}`);
    }
  }

  s.wire = wireLog;
  s.durationMs = Math.round(performance.now() - started);
  const { record, send, expectError, check, detail, ...result } = s;
  report.steps.push(result);
}

function need(key) {
  if (ctx[key] === undefined) {
    throw new Prerequisite(`skipped: needs ${key} from an earlier step that failed`);
  }

  return ctx[key];
}

function describe(err) {
  return {
    name: err?.name ?? String(err),
    message: err?.message,
    exceptionMessage: err?.exceptionMessage,
    httpStatusCode: err?.$metadata?.httpStatusCode,
    requestId: err?.$metadata?.requestId ?? null,
    fault: err?.$fault,
    code: err?.code,
  };
}

function sameSet(actual, expected) {
  return Array.isArray(actual) && actual.length === expected.length && expected.every((x) => actual.includes(x));
}

function iso(date) {
  return date instanceof Date && !Number.isNaN(date.getTime()) ? date.toISOString() : null;
}

function sdkVersion() {
  try {
    const url = new URL("./node_modules/@aws-sdk/client-ivs-realtime/package.json", import.meta.url);
    return JSON.parse(readFileSync(url, "utf8")).version;
  } catch {
    return null;
  }
}

/** Prints the report (exactly once) and exits with code. */
function finish(code) {
  if (finished) {
    return;
  }

  finished = true;
  client?.destroy();
  process.stdout.write(JSON.stringify(report) + "\n", () => process.exit(code));
}
