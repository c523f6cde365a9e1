using System.Buffers.Text;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using IvsServerless.Api.Tests.Support;
using IvsServerless.IvsEmulator.Tokens;
using IvsServerless.IvsRealTime;

namespace IvsServerless.Api.Tests.SelfSigned;

/// <summary>The whole self-signed path on the emulator: rotation imports a key → the API mints → join → publish → event.</summary>
public sealed class SelfSignedTokenTests
{
    [Fact]
    public async Task Self_signed_token_from_the_API_joins_publishes_and_emits_Participant_Published()
    {
        await using var system = await SelfSignedSystem.StartAsync();
        var rotation = await system.Rotation.RotateAsync(force: false, CancellationToken.None);
        var stageId = await system.Api.CreateStageAsync("alice");

        var response = await system.Api.SendAsync(ApiRequest.Post($"/stages/{stageId}/participant-tokens").As("alice", "Alice"));
        Assert.Equal(201, response.Status);
        var token = response.Json.GetProperty("token").GetString()!;
        var participantId = response.Json.GetProperty("participantId").GetString()!;
        Assert.Equal(["PUBLISH", "SUBSCRIBE"], response.Json.GetProperty("capabilities").EnumerateArray().Select(c => c.GetString()));

        var (header, claims) = Decode(token);
        Assert.Equal(rotation.CurrentKeyArn, header["kid"]!.GetValue<string>());
        Assert.Equal(participantId, claims["jti"]!.GetValue<string>());
        var stage = (await system.Api.Ivs.GetStageAsync(new GetStageRequest { Arn = claims["resource"]!.GetValue<string>() })).Stage!;
        Assert.Equal(stageId, claims["topic"]!.GetValue<string>());
        Assert.Equal(stage.Endpoints!.Events, claims["events_url"]!.GetValue<string>());
        Assert.Equal(stage.Endpoints.Whip, claims["whip_url"]!.GetValue<string>());
        Assert.Equal("alice", claims["user_id"]!.GetValue<string>());
        Assert.Equal("Alice", claims["attributes"]!["displayName"]!.GetValue<string>());
        Assert.True(claims["capabilities"]!["allow_publish"]!.GetValue<bool>());
        Assert.Equal(
            new IvsServerless.Core.Tokens.TokenPolicyOptions().DefaultDuration.TotalSeconds,
            claims["exp"]!.GetValue<long>() - claims["iat"]!.GetValue<long>());
        Assert.Equal("1.0", claims["version"]!.GetValue<string>());
        Assert.Equal(
            DateTimeOffset.FromUnixTimeSeconds(claims["exp"]!.GetValue<long>()), response.Json.GetProperty(
            "expirationTime").GetDateTimeOffset());

        Assert.Equal(participantId, await system.Api.JoinAsync(token));
        using (var publish = await system.Api.Http.PostAsync(
            $"/_sim/stages/{stageId}/participants/{participantId}/publish", JsonContent.Create(new { })))
        {
            publish.EnsureSuccessStatusCode();
        }

        var events = await system.Api.Http.GetFromJsonAsync<JsonObject>("/_sim/events");
        Assert.Contains(events!["events"]!.AsArray(), e =>
            e!["detail"]!["event_name"]!.GetValue<string>() == "Participant Published"
            && e["detail"]!["participant_id"]!.GetValue<string>() == participantId
            && e["resources"]![0]!.GetValue<string>() == stage.Arn);
    }

    [Fact]
    public async Task Viewer_token_is_subscribe_only_as_the_shared_policy_decides()
    {
        await using var system = await SelfSignedSystem.StartAsync();
        await system.Rotation.RotateAsync(force: false, CancellationToken.None);
        var stageId = await system.Api.CreateStageAsync("alice");

        var refused = await system.Api.SendAsync(
            ApiRequest.Post($"/stages/{stageId}/participant-tokens").As("bob").Json("""{"capabilities":["PUBLISH"]}"""));
        Assert.Equal(403, refused.Status);

        var response = await system.Api.SendAsync(
            ApiRequest.Post($"/stages/{stageId}/participant-tokens").As("bob").Json("""{"durationMinutes":30}"""));
        Assert.Equal(201, response.Status);
        var (_, claims) = Decode(response.Json.GetProperty("token").GetString()!);
        Assert.False(claims["capabilities"]!["allow_publish"]!.GetValue<bool>());
        Assert.True(claims["capabilities"]!["allow_subscribe"]!.GetValue<bool>());
        Assert.Equal(30 * 60, claims["exp"]!.GetValue<long>() - claims["iat"]!.GetValue<long>());
    }

    [Fact]
    public async Task Stage_stored_without_endpoints_gets_them_from_IVS_once_and_keeps_them()
    {
        await using var system = await SelfSignedSystem.StartAsync();
        await system.Rotation.RotateAsync(force: false, CancellationToken.None);
        var stageId = await system.Api.CreateStageAsync("alice");
        var stored = (await system.Api.Stages.FindAsync(stageId, CancellationToken.None))!;
        Assert.NotNull(stored.Endpoints);
        await system.Api.Stages.UpdateAsync(stored with { Endpoints = null, Version = stored.Version + 1 }, CancellationToken.None);

        var response = await system.Api.SendAsync(ApiRequest.Post($"/stages/{stageId}/participant-tokens").As("alice"));

        Assert.Equal(201, response.Status);
        var cached = (await system.Api.Stages.FindAsync(stageId, CancellationToken.None))!;
        Assert.Equal(stored.Endpoints, cached.Endpoints);
        Assert.Equal(
            stored.Endpoints!.Whip, Decode(response.Json.GetProperty("token").GetString()!).Claims["whip_url"]!.GetValue<string>());
        await system.Api.JoinAsync(response.Json.GetProperty("token").GetString()!);
    }

    [Fact]
    public async Task Without_a_provisioned_key_the_API_answers_503_and_logs_no_token()
    {
        await using var system = await SelfSignedSystem.StartAsync();
        var stageId = await system.Api.CreateStageAsync("alice");

        var response = await system.Api.SendAsync(ApiRequest.Post($"/stages/{stageId}/participant-tokens").As("alice"));

        Assert.Equal(503, response.Status);
        Assert.Equal("token-signing-unavailable", response.Code);
    }

    [Fact]
    public async Task Tampered_signature_is_refused_on_join()
    {
        await using var system = await SelfSignedSystem.StartAsync();
        var token = await MintAsync(system);
        var parts = token.Split('.');
        var signature = Base64Url.DecodeFromChars(parts[2]);
        signature[10] ^= 0x01;

        await AssertJoinRefusedAsync(
            system, $"{parts[0]}.{parts[1]}.{Base64Url.EncodeToString(signature)}", HttpStatusCode.Forbidden, "signature");
    }

    [Fact]
    public async Task Tampered_claims_are_refused_on_join()
    {
        await using var system = await SelfSignedSystem.StartAsync();
        var token = await MintAsync(system);
        var (_, claims) = Decode(token);
        claims["user_id"] = "mallory";
        var parts = token.Split('.');

        await AssertJoinRefusedAsync(
            system, $"{parts[0]}.{Base64Url.EncodeToString(Encoding.UTF8.GetBytes(claims.ToJsonString()))}.{parts[2]}",
            HttpStatusCode.Forbidden, "signature");
    }

    [Fact]
    public async Task Wrong_kid_is_refused_on_join()
    {
        await using var system = await SelfSignedSystem.StartAsync();
        var token = await MintAsync(system);
        var (header, claims) = Decode(token);
        using var key = SigningKey(system);

        // Right key, but a kid naming no imported key…
        header["kid"] = "arn:aws:ivs:us-east-1:123456789012:public-key/doesNotExist";
        await AssertJoinRefusedAsync(system, Jwt.Sign(header, claims, key), HttpStatusCode.Forbidden, "unknown");

        // …or naming another imported key, which does not verify this signature.
        using var other = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        var imported = await system.Api.Ivs.ImportPublicKeyAsync(
            new ImportPublicKeyRequest { PublicKeyMaterial = other.ExportSubjectPublicKeyInfoPem() });
        header["kid"] = imported.PublicKey!.Arn;
        await AssertJoinRefusedAsync(system, Jwt.Sign(header, claims, key), HttpStatusCode.Forbidden, "signature");
    }

    [Fact]
    public async Task Expired_token_is_refused_on_join()
    {
        // The API's clock runs two hours behind: a one-hour token is an hour past its exp for the emulator.
        await using var system = await SelfSignedSystem.StartAsync(DateTimeOffset.UtcNow.AddHours(-2));
        var token = await MintAsync(system, """{"durationMinutes":60}""");

        await AssertJoinRefusedAsync(system, token, HttpStatusCode.Forbidden, "expired");
    }

    [Fact]
    public async Task Token_for_a_deleted_stage_or_re_aimed_at_another_stage_is_refused_on_join()
    {
        await using var system = await SelfSignedSystem.StartAsync();
        await system.Rotation.RotateAsync(force: false, CancellationToken.None);
        var stageId = await system.Api.CreateStageAsync("alice");
        var token = await IssueAsync(system, stageId);
        Assert.Equal(204, (await system.Api.SendAsync(ApiRequest.Delete($"/stages/{stageId}").As("alice"))).Status);
        await AssertJoinRefusedAsync(system, token, HttpStatusCode.NotFound, "");

        // Signed right, but the topic names another stage than the resource.
        var other = await system.Api.CreateStageAsync("carol");
        var (header, claims) = Decode(await IssueAsync(system, other));
        claims["topic"] = stageId;
        using var key = SigningKey(system);
        await AssertJoinRefusedAsync(system, Jwt.Sign(header, claims, key), HttpStatusCode.Forbidden, "topic");
    }

    internal static async Task<string> MintAsync(SelfSignedSystem system, string body = "{}")
    {
        if (system.Keys.Current is null)
        {
            await system.Rotation.RotateAsync(force: false, CancellationToken.None);
        }

        var stageId = await system.Api.CreateStageAsync("alice");
        return await IssueAsync(system, stageId, body);
    }

    internal static async Task<string> IssueAsync(SelfSignedSystem system, string stageId, string body = "{}")
    {
        var response = await system.Api.SendAsync(
            ApiRequest.Post($"/stages/{stageId}/participant-tokens").As(
            system.Api.Stages.FindAsync(stageId, CancellationToken.None).Result!.OwnerId).Json(body));
        Assert.Equal(201, response.Status);
        return response.Json.GetProperty("token").GetString()!;
    }

    internal static (JsonObject Header, JsonObject Claims) Decode(string token)
    {
        var parts = token.Split('.');
        return (
            JsonNode.Parse(Base64Url.DecodeFromChars(parts[0]))!.AsObject(), JsonNode.Parse(
            Base64Url.DecodeFromChars(parts[1]))!.AsObject());
    }

    internal static async Task<HttpResponseMessage> TryJoinAsync(SelfSignedSystem system, string token) =>
        await system.Api.Http.PostAsJsonAsync("/_sim/join", new Dictionary<string, string> { ["token"] = token });

    internal static async Task AssertJoinRefusedAsync(SelfSignedSystem system, string token, HttpStatusCode status, string messagePart)
    {
        using var response = await TryJoinAsync(system, token);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"expected {status}, got {(int)response.StatusCode} {body}");
        Assert.Contains(messagePart, body, StringComparison.OrdinalIgnoreCase);
    }

    private static ECDsa SigningKey(SelfSignedSystem system)
    {
        var key = ECDsa.Create();
        key.ImportPkcs8PrivateKey(system.Keys.Current!.Pkcs8PrivateKey, out _);
        return key;
    }
}
