using System.Buffers.Text;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using IvsServerless.IvsEmulator.Tests.Support;

namespace IvsServerless.IvsEmulator.Tests;

/// <summary>
/// Many clients at once against one emulator: every request must succeed, minted participants must be unique,
/// tokens well formed for their stage, and the stage list consistent afterwards.
/// </summary>
public sealed class ConcurrencyTests(EmulatorFixture emulator) : IClassFixture<EmulatorFixture>
{
    private const int TotalCalls = 500;
    private const int InitialStages = 4;

    /// <summary>A syntactically valid session id (<c>st-</c> + 13 alphanumerics) that no stage has: lists are empty.</summary>
    private const string UnknownSessionId = "st-Concurrency01";

    private const string Authorization =
        "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261125/us-east-1/ivs/aws4_request, SignedHeaders=host;x-amz-date, Signature=0000";

    [Fact]
    public async Task Five_hundred_parallel_calls_succeed_with_unique_participants_and_a_consistent_stage_list()
    {
        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = 256 };
        using var http = new HttpClient(handler) { BaseAddress = emulator.Server.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };

        var stages = new List<string>();
        for (var i = 0; i < InitialStages; i++)
        {
            var created = await SendAsync(http, new Call("CreateStage", new { name = $"concurrency-{i}" }, null));
            Assert.True(created.Status == HttpStatusCode.OK, $"setup CreateStage: {(int)created.Status} {created.Body}");
            stages.Add(created.Json.GetProperty("stage").GetProperty("arn").GetString()!);
        }

        // The mix: a CreateStage and a ListStages every 50 calls; the rest alternate between minting a token and
        // listing the participants of an (unknown) session, spread over the stages.
        var plan = Enumerable.Range(0, TotalCalls).Select(i =>
        {
            var stage = stages[i % InitialStages];
            return (i % 50) switch
            {
                0 =>
                    new Call(
                    "CreateStage", new { name = $"concurrency-new-{i}", tags = new Dictionary<string, string> { ["i"] = $"{i}" } }, null),
                25 => new Call("ListStages", new { maxResults = 100 }, null),
                _ when i % 2 == 0 => new Call("CreateParticipantToken",
                    new
                    {
                        stageArn = stage,
                        userId = $"user-{i}",
                        capabilities = i % 4 == 0 ? new[] { "PUBLISH", "SUBSCRIBE" } : [
                        "SUBSCRIBE"]
                    }, stage),
                _ => new Call("ListParticipants", new { stageArn = stage, sessionId = UnknownSessionId }, stage),
            };
        }).ToList();

        var go = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var calls = plan.Select(async call =>
        {
            await go.Task;
            return await SendAsync(http, call);
        }).ToList();
        go.SetResult();
        var results = await Task.WhenAll(calls);

        // 1. Nothing failed.
        var failures = results.Where(r => r.Status != HttpStatusCode.OK).ToList();
        Assert.True(failures.Count == 0, $"{failures.Count} of {TotalCalls} calls failed, e.g.:\n"
            + string.Join('\n', failures.Take(10).Select(f => $"{f.Call.Operation}: {(int)f.Status} {f.Body}")));

        // 2. Every minted participant is unique and its token is an ES384 JWT for the right stage, signed by the emulator.
        using var verificationKey = ECDsa.Create();
        verificationKey.ImportFromPem(emulator.Emulator.TokenSigner.PublicKeyPem);
        var tokens = results.Where(r => r.Call.Operation == "CreateParticipantToken").ToList();
        Assert.NotEmpty(tokens);
        var participantIds = tokens.Select(r => r.Json.GetProperty("participantToken").GetProperty("participantId").GetString()).ToList();
        var duplicates = participantIds.GroupBy(id => id).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        Assert.True(duplicates.Count == 0, $"participantIds minted more than once: {string.Join(", ", duplicates)}");
        foreach (var result in tokens)
        {
            AssertToken(result, verificationKey);
        }

        // 3. ListParticipants of an unknown session is an empty list, not an error.
        var lists = results.Where(r => r.Call.Operation == "ListParticipants").ToList();
        Assert.NotEmpty(lists);
        Assert.All(lists, r => Assert.Equal(0, r.Json.GetProperty("participants").GetArrayLength()));

        // 4. Stages created concurrently are all there, exactly once, in GetStage and in a paginated ListStages;
        //    the ListStages that ran meanwhile never listed a stage twice and always saw the initial ones.
        var allStages = stages.Concat(results.Where(r => r.Call.Operation == "CreateStage")
            .Select(r => r.Json.GetProperty("stage").GetProperty("arn").GetString()!)).ToList();
        Assert.Equal(allStages.Count, allStages.Distinct().Count());
        foreach (var listed in results.Where(r => r.Call.Operation == "ListStages"))
        {
            var arns = listed.Json.GetProperty("stages").EnumerateArray().Select(s => s.GetProperty("arn").GetString()!).ToList();
            Assert.Equal(arns.Count, arns.Distinct().Count());
            Assert.Superset(stages.ToHashSet(), arns.ToHashSet());
        }

        foreach (var arn in allStages)
        {
            var got = await SendAsync(http, new Call("GetStage", new { arn }, arn));
            Assert.True(got.Status == HttpStatusCode.OK, $"GetStage {arn}: {(int)got.Status} {got.Body}");
            Assert.Equal(arn, got.Json.GetProperty("stage").GetProperty("arn").GetString());
        }

        var everyListed = await ListAllStagesAsync(http);
        var counts = everyListed.GroupBy(a => a).ToDictionary(g => g.Key, g => g.Count());
        Assert.All(
            allStages, arn => Assert.True(counts.GetValueOrDefault(arn) == 1, $"{arn} listed {counts.GetValueOrDefault(arn)} times"));
        Assert.Equal(allStages.Order(StringComparer.Ordinal), everyListed.Order(StringComparer.Ordinal));
    }

    private static void AssertToken(CallResult result, ECDsa verificationKey)
    {
        var minted = result.Json.GetProperty("participantToken");
        var token = minted.GetProperty("token").GetString() ?? "";
        var parts = token.Split('.');
        Assert.True(parts.Length == 3 && parts.All(p => p.Length > 0), $"not a three-part JWT: {token}");

        using var header = JsonDocument.Parse(Base64Url.DecodeFromChars(parts[0]));
        Assert.Equal("ES384", header.RootElement.GetProperty("alg").GetString());
        Assert.Equal("JWT", header.RootElement.GetProperty("typ").GetString());

        using var payload = JsonDocument.Parse(Base64Url.DecodeFromChars(parts[1]));
        Assert.Equal(result.Call.StageArn, payload.RootElement.GetProperty("resource").GetString());
        Assert.Equal(minted.GetProperty("participantId").GetString(), payload.RootElement.GetProperty("jti").GetString());

        var signature = Base64Url.DecodeFromChars(parts[2]);
        Assert.True(verificationKey.VerifyData(Encoding.ASCII.GetBytes($"{parts[0]}.{parts[1]}"), signature,
            HashAlgorithmName.SHA384, DSASignatureFormat.IeeeP1363FixedFieldConcatenation), $"bad ES384 signature on {token}");
    }

    private static async Task<List<string>> ListAllStagesAsync(HttpClient http)
    {
        var arns = new List<string>();
        string? nextToken = null;
        for (var page = 0; page < 100; page++)
        {
            var listed = await SendAsync(
                http, new Call("ListStages", nextToken is null ? new { maxResults = 5 } : new { maxResults = 5, nextToken }, null));
            Assert.True(listed.Status == HttpStatusCode.OK, $"ListStages: {(int)listed.Status} {listed.Body}");
            arns.AddRange(listed.Json.GetProperty("stages").EnumerateArray().Select(s => s.GetProperty("arn").GetString()!));
            nextToken = listed.Json.TryGetProperty("nextToken", out var next)
                && next.ValueKind == JsonValueKind.String ? next.GetString() : null;
            if (string.IsNullOrEmpty(nextToken))
            {
                return arns;
            }
        }

        Assert.Fail("ListStages pagination did not end within 100 pages");
        return arns;
    }

    private static async Task<CallResult> SendAsync(HttpClient http, Call call)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/" + call.Operation)
        {
            Content = new StringContent(JsonSerializer.Serialize(call.Body), Encoding.UTF8),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.TryAddWithoutValidation("Authorization", Authorization);
        using var response = await http.SendAsync(request);
        return new CallResult(call, response.StatusCode, await response.Content.ReadAsStringAsync());
    }


    private sealed record Call(string Operation, object Body, string? StageArn);

    private sealed record CallResult(Call Call, HttpStatusCode Status, string Body)
    {
        /// <summary>Parsed on use, so a non-JSON answer fails the assertion that reads it, not the whole batch.</summary>
        public JsonElement Json => JsonDocument.Parse(Body).RootElement.Clone();
    }
}
