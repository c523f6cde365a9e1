using System.Net;
using System.Text;
using System.Text.Json;
using IvsServerless.Api.Tests.Support;
using IvsServerless.Core.TokenSigning;
using IvsServerless.IvsRealTime;
using IvsServerless.IvsRealTime.Adapter;
using IvsServerless.KeyRotation;
using IvsServerless.Lambda.Runtime;
using static IvsServerless.Api.Tests.SelfSigned.SelfSignedTokenTests;

namespace IvsServerless.Api.Tests.SelfSigned;

/// <summary>The key lifecycle against the emulator's ImportPublicKey / ListPublicKeys / DeletePublicKey.</summary>
public sealed class KeyRotationTests
{
    [Fact]
    public async Task First_run_imports_a_tagged_P384_key_and_stores_its_private_half()
    {
        await using var system = await SelfSignedSystem.StartAsync();

        var outcome = await system.Rotation.RotateAsync(force: false, CancellationToken.None);

        Assert.True(outcome.Rotated);
        var key = Assert.Single(await ListKeysAsync(system));
        Assert.Equal(outcome.CurrentKeyArn, key.Arn);
        Assert.Equal("tests", key.Tags![SigningKeyRotation.ManagedByTag]);
        Assert.Equal(SigningKeyRotation.Purpose, key.Tags[SigningKeyRotation.PurposeTag]);
        Assert.Equal(outcome.CurrentKeyArn, system.Keys.Current!.KeyArn);
        Assert.Equal(system.RotationTime.GetUtcNow(), system.Keys.Current.ActivatedAt);
    }

    [Fact]
    public async Task Repeated_runs_within_the_retention_window_change_nothing()
    {
        await using var system = await SelfSignedSystem.StartAsync();
        var first = await system.Rotation.RotateAsync(force: false, CancellationToken.None);

        system.RotationTime.Advance(system.Options.Retention - TimeSpan.FromSeconds(1));
        var second = await system.Rotation.RotateAsync(force: false, CancellationToken.None);

        Assert.False(second.Rotated);
        Assert.Equal(first.CurrentKeyArn, second.CurrentKeyArn);
        Assert.Empty(second.DeletedKeyArns);
        Assert.Single(await ListKeysAsync(system));
        Assert.Equal(1, system.Keys.Writes);
    }

    [Fact]
    public async Task Tokens_in_flight_keep_joining_until_their_key_is_deleted_one_retention_window_after_its_replacement()
    {
        await using var system = await SelfSignedSystem.StartAsync();
        var first = await system.Rotation.RotateAsync(force: false, CancellationToken.None);
        var stageId = await system.Api.CreateStageAsync("alice");
        var oldTokens = new[] { await IssueAsync(system, stageId), await IssueAsync(system, stageId) };

        // Rotation due: a second key becomes current; the first stays (tokens it signed are still live).
        system.RotationTime.Advance(system.Options.Retention);
        var second = await system.Rotation.RotateAsync(force: false, CancellationToken.None);
        Assert.True(second.Rotated);
        Assert.Empty(second.DeletedKeyArns);
        Assert.Equal(2, (await ListKeysAsync(system)).Count);

        // API containers sign with the cached first key until their TTL runs out, then with the second.
        Assert.Equal(first.CurrentKeyArn, Decode(await IssueAsync(system, stageId)).Header["kid"]!.GetValue<string>());
        system.ApiTime.Advance(system.Cache.Ttl);
        var newToken = await IssueAsync(system, stageId);
        Assert.Equal(second.CurrentKeyArn, Decode(newToken).Header["kid"]!.GetValue<string>());

        await system.Api.JoinAsync(oldTokens[0]);
        await system.Api.JoinAsync(newToken);

        // One retention window after the switch the first key goes, and with it every token it signed.
        system.RotationTime.Advance(system.Options.Retention);
        var third = await system.Rotation.RotateAsync(force: false, CancellationToken.None);
        Assert.Equal([first.CurrentKeyArn], third.DeletedKeyArns);
        Assert.Equal(2, (await ListKeysAsync(system)).Count);
        await AssertJoinRefusedAsync(system, oldTokens[1], HttpStatusCode.Forbidden, "unknown");
        var (_, claims) = Decode(newToken);
        Assert.NotEqual(first.CurrentKeyArn, second.CurrentKeyArn);
        Assert.Equal(stageId, claims["topic"]!.GetValue<string>());
    }

    [Fact]
    public async Task Full_quota_with_nothing_safe_to_delete_fails_clearly_and_changes_nothing()
    {
        await using var system = await SelfSignedSystem.StartAsync();
        await ImportForeignKeyAsync(system);
        await ImportForeignKeyAsync(system);
        var first = await system.Rotation.RotateAsync(force: false, CancellationToken.None);
        var before = await ListKeysAsync(system);

        var error = await Assert.ThrowsAsync<PublicKeyQuotaException>(
            () => system.Rotation.RotateAsync(force: true, CancellationToken.None));

        Assert.Contains("3 of 3", error.Message, StringComparison.Ordinal);
        Assert.Contains("Nothing was changed", error.Message, StringComparison.Ordinal);
        Assert.Equal(before.Select(k => k.Arn).Order(), (await ListKeysAsync(system)).Select(k => k.Arn).Order());
        Assert.Equal(first.CurrentKeyArn, system.Keys.Current!.KeyArn);
        Assert.Equal(1, system.Keys.Writes);
    }

    [Fact]
    public async Task Full_quota_rotates_after_deleting_a_key_whose_retention_has_passed()
    {
        await using var system = await SelfSignedSystem.StartAsync();
        await ImportForeignKeyAsync(system);
        var first = await system.Rotation.RotateAsync(force: false, CancellationToken.None);
        var second = await system.Rotation.RotateAsync(force: true, CancellationToken.None);
        Assert.Equal(3, (await ListKeysAsync(system)).Count);

        system.RotationTime.Advance(system.Options.Retention);
        var third = await system.Rotation.RotateAsync(force: false, CancellationToken.None);

        Assert.True(third.Rotated);
        Assert.Equal([first.CurrentKeyArn], third.DeletedKeyArns);
        Assert.Equal(3, (await ListKeysAsync(system)).Count);
        Assert.Contains(second.CurrentKeyArn, third.KeptKeyArns);
    }

    [Fact]
    public async Task Failed_store_takes_the_imported_key_back_and_an_orphan_is_deleted_after_its_grace()
    {
        await using var system = await SelfSignedSystem.StartAsync();
        var first = await system.Rotation.RotateAsync(force: false, CancellationToken.None);

        var failing = new SigningKeyRotation(
            new IvsRealTimeAdapter(system.Api.Ivs), new FailingPutStore(system.Keys), system.Options, system.RotationTime);
        await Assert.ThrowsAsync<IOException>(() => failing.RotateAsync(force: true, CancellationToken.None));
        Assert.Equal([first.CurrentKeyArn], (await ListKeysAsync(system)).Select(k => k.Arn));

        // An orphan left by a run that could not even take its key back: tagged, newer than the current key, never stored.
        system.RotationTime.Advance(TimeSpan.FromMinutes(1));
        using var orphanKey = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP384);
        var orphan = await system.Api.Ivs.ImportPublicKeyAsync(new ImportPublicKeyRequest
        {
            PublicKeyMaterial = orphanKey.ExportSubjectPublicKeyInfoPem(),
            Tags = new Dictionary<string, string>
            {
                [SigningKeyRotation.ManagedByTag] = "tests",
                [SigningKeyRotation.PurposeTag] = SigningKeyRotation.Purpose,
                [SigningKeyRotation.CreatedAtTag] = system.RotationTime.GetUtcNow().ToString("O"),
            },
        });
        Assert.Empty((await system.Rotation.RotateAsync(force: false, CancellationToken.None)).DeletedKeyArns);

        system.RotationTime.Advance(system.Options.OrphanGrace);
        var outcome = await system.Rotation.RotateAsync(force: false, CancellationToken.None);
        Assert.Equal([orphan.PublicKey!.Arn!], outcome.DeletedKeyArns);
        Assert.Equal(first.CurrentKeyArn, outcome.CurrentKeyArn);
    }

    [Fact]
    public async Task Teardown_deletes_only_this_deployments_keys_and_the_stored_key()
    {
        await using var system = await SelfSignedSystem.StartAsync();
        var foreign = await ImportForeignKeyAsync(system);
        using var otherKey = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP384);
        var otherDeployment = await system.Api.Ivs.ImportPublicKeyAsync(new ImportPublicKeyRequest
        {
            PublicKeyMaterial = otherKey.ExportSubjectPublicKeyInfoPem(),
            Tags = new Dictionary<string, string>
            {
                [SigningKeyRotation.ManagedByTag] = "prod",
                [SigningKeyRotation.PurposeTag] = SigningKeyRotation.Purpose
            },
        });
        var mine = await system.Rotation.RotateAsync(force: false, CancellationToken.None);

        var deleted = await system.Rotation.TeardownAsync(CancellationToken.None);
        var again = await system.Rotation.TeardownAsync(CancellationToken.None);

        Assert.Equal([mine.CurrentKeyArn], deleted);
        Assert.Empty(again);
        Assert.Null(system.Keys.Current);
        Assert.Equal(new[] { foreign, otherDeployment.PublicKey!.Arn }.Order(), (await ListKeysAsync(system)).Select(k => k.Arn).Order());
    }

    [Fact]
    public async Task Handler_answers_custom_resource_events_and_never_logs_key_material_or_tokens()
    {
        await using var system = await SelfSignedSystem.StartAsync();
        var handler = new KeyRotationHandler(system.Rotation, "tests");
        using var log = new MemoryStream();
        var context = new LambdaContext
        {
            AwsRequestId = "r-1",
            Deadline = DateTimeOffset.UtcNow.AddMinutes(1),
            Logger = new LambdaJsonLogger(log)
        };

        var created = await InvokeAsync(handler, context, """{"RequestType":"Create","ServiceToken":"arn:x","ResourceProperties":{}}""");
        var keyArn = created.GetProperty("Data").GetProperty("KeyArn").GetString();
        Assert.Equal(system.Keys.Current!.KeyArn, keyArn);
        Assert.Equal("tests-token-signing-keys", created.GetProperty("PhysicalResourceId").GetString());

        var scheduled = await InvokeAsync(handler, context, """{"detail-type":"Scheduled Event","source":"aws.events","detail":{}}""");
        Assert.False(scheduled.GetProperty("Rotated").GetBoolean());

        // Mint and join through the API, so the captured logs include a whole request carrying a token.
        var stageId = await system.Api.CreateStageAsync("alice");
        var token = await IssueAsync(system, stageId);
        await system.Api.JoinAsync(token);
        var pkcs8 = system.Keys.Current!.Pkcs8PrivateKey.ToArray();

        var deleted = await InvokeAsync(handler, context, """{"RequestType":"Delete","PhysicalResourceId":"tests-token-signing-keys"}""");
        Assert.Equal("tests-token-signing-keys", deleted.GetProperty("PhysicalResourceId").GetString());
        Assert.Empty(await ListKeysAsync(system));

        var logs = Encoding.UTF8.GetString(log.ToArray()) + system.Api.Log.Text;
        Assert.Contains(keyArn!, logs, StringComparison.Ordinal);
        Assert.Contains("Request handled", logs, StringComparison.Ordinal);
        using var key = System.Security.Cryptography.ECDsa.Create();
        key.ImportPkcs8PrivateKey(pkcs8, out _);
        var d = key.ExportParameters(includePrivateParameters: true).D!;
        foreach (var secret in new[]
        {
            "PRIVATE KEY", Convert.ToBase64String(pkcs8), Convert.ToBase64String(pkcs8)[..40], System.Buffers.Text.Base64Url.EncodeToString(
                d),
            Convert.ToBase64String(d), Convert.ToHexString(d), token, token.Split('.')[2],
        })
        {
            Assert.DoesNotContain(secret, logs, StringComparison.OrdinalIgnoreCase);
        }
    }

    [Fact]
    public async Task Handler_rotates_now_on_force_and_refuses_a_malformed_event_changing_nothing()
    {
        await using var system = await SelfSignedSystem.StartAsync();
        var handler = new KeyRotationHandler(system.Rotation, "tests");
        var context = new LambdaContext { AwsRequestId = "r-2", Deadline = DateTimeOffset.UtcNow.AddMinutes(1) };

        var first = await InvokeAsync(handler, context, """{"detail-type":"Scheduled Event"}""");
        var forced = await InvokeAsync(handler, context, """{"force":true}""");

        Assert.True(forced.GetProperty("Rotated").GetBoolean());
        Assert.NotEqual(first.GetProperty("CurrentKeyArn").GetString(), forced.GetProperty("CurrentKeyArn").GetString());
        Assert.Equal(2, (await ListKeysAsync(system)).Count);

        await Assert.ThrowsAsync<ArgumentException>(() => handler.HandleAsync("{not json"u8.ToArray(), context, CancellationToken.None));
        Assert.Equal(2, (await ListKeysAsync(system)).Count);
        Assert.Equal(2, system.Keys.Writes);
    }

    private static async Task<JsonElement> InvokeAsync(KeyRotationHandler handler, LambdaContext context, string json)
    {
        var bytes = await handler.HandleAsync(Encoding.UTF8.GetBytes(json), context, CancellationToken.None);
        return JsonDocument.Parse(bytes).RootElement.Clone();
    }

    private static async Task<IReadOnlyList<PublicKeySummary>> ListKeysAsync(SelfSignedSystem system) =>
        (await system.Api.Ivs.ListPublicKeysAsync(new ListPublicKeysRequest { MaxResults = 100 })).PublicKeys;

    private static async Task<string> ImportForeignKeyAsync(SelfSignedSystem system)
    {
        using var key = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP384);
        return (
            await system.Api.Ivs.ImportPublicKeyAsync(
            new ImportPublicKeyRequest { PublicKeyMaterial = key.ExportSubjectPublicKeyInfoPem() })).PublicKey!.Arn!;
    }

    private sealed class FailingPutStore(ITokenSigningKeyStore inner) : ITokenSigningKeyStore
    {
        public Task<TokenSigningKey?> GetAsync(CancellationToken cancellationToken) => inner.GetAsync(cancellationToken);

        public Task PutAsync(TokenSigningKey key, CancellationToken cancellationToken) =>
            throw new IOException("parameter store unavailable");

        public Task DeleteAsync(CancellationToken cancellationToken) => inner.DeleteAsync(cancellationToken);
    }
}
