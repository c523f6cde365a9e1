'use strict';
// The local host's S3-compatible server: @20minutes/s3rver (pinned by package-lock.json beside this file) with
//  - one access key, given by the parent in S3_LOCAL_ACCESS_KEY_ID / S3_LOCAL_SECRET_ACCESS_KEY (s3rver's well-known
//    S3RVER/S3RVER pair is revoked), so a request signed with anything else is 403 SignatureDoesNotMatch or
//    InvalidAccessKeyId, and an expired presigned URL 403 AccessDenied (s3rver checks SigV4 headers and query);
//  - no anonymous access: an unsigned request is 403 AccessDenied, as for a private bucket in S3 (s3rver alone lets
//    unsigned requests through);
//  - bound to 127.0.0.1 only; port from S3_LOCAL_PORT (0 = a free one, chosen by the OS at bind, so no race);
//  - the buckets named in S3_LOCAL_BUCKETS (comma-separated) created at start, objects kept under S3_LOCAL_DIRECTORY, with
//    the CORS rule the stack gives the recordings bucket (cdk Recordings.cs: GET and HEAD from any origin, header Range),
//    so a player in a page (hls.js in the local console) fetches presigned segments as it would from S3;
// Prints one line `listening 127.0.0.1:<port>` once it accepts connections. Exits when its stdin closes, so it never
// outlives the process that started it (IvsServerless.Local.S3LocalEngine).
const S3rver = require('@20minutes/s3rver');
const AWSAccount = require('@20minutes/s3rver/lib/models/account');
const v4 = require('@20minutes/s3rver/lib/signature/v4');

const env = process.env;
const accessKeyId = env.S3_LOCAL_ACCESS_KEY_ID;
const secret = env.S3_LOCAL_SECRET_ACCESS_KEY;
if (!accessKeyId || !secret || !env.S3_LOCAL_DIRECTORY) {
  console.error('S3_LOCAL_ACCESS_KEY_ID, S3_LOCAL_SECRET_ACCESS_KEY and S3_LOCAL_DIRECTORY are required');
  process.exit(2);
}

AWSAccount.DUMMY_ACCOUNT.revokeAccessKey('S3RVER');
AWSAccount.DUMMY_ACCOUNT.createKeyPair(accessKeyId, secret);

// The presigned URL, not the origin, is the access control (an unsigned request is still refused below).
const Cors = `<CORSConfiguration>
  <CORSRule>
    <AllowedOrigin>*</AllowedOrigin>
    <AllowedMethod>GET</AllowedMethod>
    <AllowedMethod>HEAD</AllowedMethod>
    <AllowedHeader>Range</AllowedHeader>
    <MaxAgeSeconds>3000</MaxAgeSeconds>
  </CORSRule>
</CORSConfiguration>`;

const server = new S3rver({
  address: '127.0.0.1',
  port: Number(env.S3_LOCAL_PORT || 0),
  silent: true,
  directory: env.S3_LOCAL_DIRECTORY,
  configureBuckets: (env.S3_LOCAL_BUCKETS || '')
    .split(',')
    .filter((name) => name.length > 0)
    .map((name) => ({ name, configs: [Cors] })),
});

// SigV4 signs the request path as the client sent it (S3: each segment URI-encoded once). s3rver rebuilds it from the
// bucket and key it parsed, which loses a bucket-level trailing slash (`GET /bucket/?list-type=2`, as AWSSDK.S3 sends
// ListObjectsV2), so such requests failed with SignatureDoesNotMatch. The raw path is kept on the request's headers
// object (a name no client can sign: not x-amz-*, never in SignedHeaders) and used in the canonical request instead.
const RawPath = 's3-local-raw-path';
const stringToSign = v4.getStringToSign;
v4.getStringToSign = (canonicalRequest, request) => {
  const raw = canonicalRequest.headers && canonicalRequest.headers[RawPath];
  return stringToSign(raw ? { ...canonicalRequest, uri: raw } : canonicalRequest, request);
};

// First in the chain: a request with no signature at all (no Authorization header, no X-Amz-Algorithm or Signature
// query parameter) never reaches s3rver.
server.middleware.unshift(async (ctx, next) => {
  ctx.headers[RawPath] = ctx.req.url.split('?')[0];
  const signed = 'authorization' in ctx.headers || 'X-Amz-Algorithm' in ctx.query || 'Signature' in ctx.query;
  if (signed || ctx.method === 'OPTIONS') {
    return next();
  }

  ctx.status = 403;
  ctx.type = 'application/xml';
  ctx.body = '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>AccessDenied</Code><Message>Access Denied</Message></Error>';
});

server.run().then(
  ({ address, port }) => console.log(`listening ${address}:${port}`),
  (error) => {
    console.error(error && error.stack ? error.stack : String(error));
    process.exit(1);
  },
);

process.stdin.on('end', () => process.exit(0));
process.stdin.on('close', () => process.exit(0));
process.stdin.resume();
