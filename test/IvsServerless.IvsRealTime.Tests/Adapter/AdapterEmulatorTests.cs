using System.Buffers.Text;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Amazon.Runtime;
using IvsServerless.Core.Ivs;
using IvsServerless.Core.Tokens;
using IvsServerless.IvsEmulator;
using IvsServerless.IvsRealTime.Adapter;

namespace IvsServerless.IvsRealTime.Tests.Adapter;

/// <summary>Every port of the adapter against the local emulator, over the real typed client (real HTTP, real SigV4).</summary>
public sealed class AdapterEmulatorTests : IAsyncLifetime
{
    private static readonly Dictionary<string, string> NoTags = [];

    private EmulatorServer _emulator = null!;
    private HttpClient _http = null!;
    private IvsRealTimeClient _client = null!;
    private IvsRealTimeAdapter _ivs = null!;

    public async Task InitializeAsync()
    {
        _emulator = await EmulatorServer.StartAsync(options: new EmulatorOptions { Region = "us-east-1" });
        _http = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false }) { BaseAddress = _emulator.BaseAddress };
        _client = new IvsRealTimeClient(_http,
            new IvsRealTimeClientOptions
            {
                Region = "us-east-1",
                ServiceUrl = _emulator.BaseAddress.ToString().TrimEnd('/'),
                MaxAttempts = 1
            },
            new BasicAWSCredentials(TestClients.AccessKey, TestClients.SecretKey));
        _ivs = new IvsRealTimeAdapter(_client);
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _emulator.DisposeAsync();
    }

    [Fact]
    public async Task A_stage_is_created_with_its_tags_and_endpoints_renamed_and_deleted_once()
    {
        var created = await _ivs.CreateStageAsync("show", new Dictionary<string, string> { ["owner"] = "alice" }, null, default);

        Assert.StartsWith("arn:aws:ivs:us-east-1:", created.Arn, StringComparison.Ordinal);
        Assert.Null(created.ActiveSessionId);
        Assert.NotNull(created.Endpoints);
        Assert.Equal(created.Endpoints, (await _ivs.GetStageAsync(created.Arn, default)).Endpoints);
        Assert.Equal("alice", (await _client.GetStageAsync(new GetStageRequest { Arn = created.Arn })).Stage!.Tags!["owner"]);

        await _ivs.RenameStageAsync(created.Arn, "renamed", default);
        Assert.Equal("renamed", (await _client.GetStageAsync(new GetStageRequest { Arn = created.Arn })).Stage!.Name);

        Assert.True(await _ivs.DeleteStageIfExistsAsync(created.Arn, default));
        Assert.False(await _ivs.DeleteStageIfExistsAsync(created.Arn, default));
        var missing = await Assert.ThrowsAsync<IvsResourceNotFoundException>(() => _ivs.GetStageAsync(created.Arn, default));
        Assert.Equal("ResourceNotFoundException", missing.ErrorCode);
        Assert.False(string.IsNullOrEmpty(missing.RequestId));
        Assert.IsType<ResourceNotFoundException>(missing.InnerException);
    }

    [Fact]
    public async Task Validation_failures_cross_as_invalid_request()
    {
        var error = await Assert.ThrowsAsync<IvsInvalidRequestException>(() => _ivs.CreateStageAsync("bad name!", NoTags, null, default));
        Assert.Equal("ValidationException", error.ErrorCode);
    }

    [Fact]
    public async Task A_participant_token_carries_exactly_the_grant()
    {
        var stage = await _ivs.CreateStageAsync("tokens", NoTags, null, default);
        var grant = new TokenGrant(
            "bob", ParticipantCapabilities.Subscribe, TimeSpan.FromMinutes(30), new Dictionary<string, string> { ["seat"] = "7" });

        var issued = await _ivs.CreateParticipantTokenAsync(stage.Arn, grant, default);

        Assert.False(string.IsNullOrEmpty(issued.ParticipantId));
        Assert.InRange(issued.ExpirationTime!.Value, DateTimeOffset.UtcNow.AddMinutes(29), DateTimeOffset.UtcNow.AddMinutes(31));
        Assert.DoesNotContain(issued.Token, issued.ToString(), StringComparison.Ordinal);
        using var claims = JsonDocument.Parse(Base64Url.DecodeFromChars(issued.Token.Split('.')[1]));
        Assert.Equal("bob", claims.RootElement.GetProperty("user_id").GetString());
        Assert.Equal(stage.Arn, claims.RootElement.GetProperty("resource").GetString());
        Assert.False(claims.RootElement.GetProperty("capabilities").GetProperty("allow_publish").GetBoolean());
        Assert.True(claims.RootElement.GetProperty("capabilities").GetProperty("allow_subscribe").GetBoolean());
        Assert.Equal("7", claims.RootElement.GetProperty("attributes").GetProperty("seat").GetString());

        await _ivs.DeleteStageIfExistsAsync(stage.Arn, default);
        await Assert.ThrowsAsync<IvsResourceNotFoundException>(() => _ivs.CreateParticipantTokenAsync(stage.Arn, grant, default));
    }

    [Fact]
    public async Task The_inventory_lists_stages_sessions_participants_and_events_in_pages_and_tags_stages()
    {
        var first = await _ivs.CreateStageAsync("one", new Dictionary<string, string> { ["deployment"] = "a" }, null, default);
        var second = await _ivs.CreateStageAsync("two", NoTags, null, default);
        IStageInventory inventory = _ivs;

        var page = await inventory.ListStagesAsync(null, 1, default);
        Assert.Single(page.Items);
        Assert.NotNull(page.NextCursor);
        var rest = await inventory.ListStagesAsync(page.NextCursor, 100, default);
        var all = page.Items.Concat(rest.Items).ToList();
        Assert.Equal(new[] { first.Arn, second.Arn }.Order(StringComparer.Ordinal), all.Select(s => s.Arn).Order(StringComparer.Ordinal));
        Assert.Equal("a", all.Single(s => s.Arn == first.Arn).Tags["deployment"]);
        Assert.Empty(all.Single(s => s.Arn == second.Arn).Tags);

        await inventory.TagStageAsync(second.Arn, new Dictionary<string, string> { ["orphan-since"] = "now" }, default);
        var tagged = (await inventory.ListStagesAsync(null, 100, default)).Items.Single(s => s.Arn == second.Arn);
        Assert.Equal("now", tagged.Tags["orphan-since"]);

        var (participantId, sessionId) = await JoinAsync(first.Arn, "carol", ParticipantCapabilities.PublishAndSubscribe);
        await SimulateAsync(first.Arn, participantId, "publish");
        Assert.Equal(sessionId, (await inventory.GetStageAsync(first.Arn, default)).ActiveSessionId);
        Assert.Equal(
            sessionId, (await inventory.ListStagesAsync(null, 100, default)).Items.Single(s => s.Arn == first.Arn).ActiveSessionId);

        var session = Assert.Single((await inventory.ListStageSessionsAsync(first.Arn, null, default)).Items);
        Assert.Equal(sessionId, session.SessionId);
        Assert.NotNull(session.StartTime);
        Assert.Null(session.EndTime);

        var participant = Assert.Single((await inventory.ListParticipantsAsync(first.Arn, sessionId, null, default)).Items);
        Assert.Equal(
            new IvsParticipant(participantId, "carol", Connected: true, participant.FirstJoinTime, Published: true, IsReplica: false),
            participant);
        Assert.NotNull(participant.FirstJoinTime);

        var events = (await inventory.ListParticipantEventsAsync(first.Arn, sessionId, participantId, null, default)).Items;
        Assert.Contains(events, e => e.Name == IvsParticipantEventName.Joined && e.EventTime is not null);
        Assert.Contains(events, e => e.Name == IvsParticipantEventName.PublishStarted && e.EventTime is not null);

        await SimulateAsync(first.Arn, participantId, "leave");
        Assert.False(Assert.Single((await inventory.ListParticipantsAsync(first.Arn, sessionId, null, default)).Items).Connected);
    }

    [Fact]
    public async Task Disconnecting_a_participant_IVS_does_not_know_is_not_found()
    {
        var stage = await _ivs.CreateStageAsync("kick", NoTags, null, default);
        var (participantId, _) = await JoinAsync(stage.Arn, "dave", ParticipantCapabilities.Subscribe);

        await _ivs.DisconnectAsync(stage.Arn, participantId, "bye", default);

        await Assert.ThrowsAsync<IvsResourceNotFoundException>(() => _ivs.DisconnectAsync(stage.Arn, "nobody", null, default));
    }

    [Fact]
    public async Task A_composition_starts_with_the_deployment_destinations_and_stops()
    {
        var stage = await _ivs.CreateStageAsync("composed", NoTags, null, default);
        await JoinAsync(stage.Arn, "erin", ParticipantCapabilities.PublishAndSubscribe);
        var storage = (
            await _client.CreateStorageConfigurationAsync(
            new CreateStorageConfigurationRequest { S3 = new S3StorageConfiguration { BucketName = "recordings" } }))
            .StorageConfiguration!.Arn;
        var encoder = (
            await _client.CreateEncoderConfigurationAsync(new CreateEncoderConfigurationRequest { Name = "hd" })).EncoderConfiguration!.Arn;

        var started = await _ivs.StartAsync(
            new CompositionStart(stage.Arn, new string('a', 64), new CompositionDestinations(encoder, storage, null),
            new Dictionary<string, string> { ["owner"] = "erin" }), default);

        Assert.Contains(started.State, new[] { "STARTING", "ACTIVE" });
        var composition = (await _client.GetCompositionAsync(new GetCompositionRequest { Arn = started.Arn })).Composition!;
        var destination = Assert.Single(composition.Destinations).Configuration!.S3!;
        Assert.Equal(storage, destination.StorageConfigurationArn);
        Assert.Equal([encoder], destination.EncoderConfigurationArns);
        Assert.Equal("erin", composition.Tags!["owner"]);

        await _ivs.StopAsync(started.Arn, default);
        await Assert.ThrowsAsync<IvsResourceNotFoundException>(
            () => _ivs.StopAsync(started.Arn.Replace(started.Arn[^4..], "zzzz", StringComparison.Ordinal), default));
    }

    [Fact]
    public async Task Public_keys_are_imported_with_tags_listed_across_pages_and_deleted_once()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        var arn = await _ivs.ImportPublicKeyAsync(
            "key-1", key.ExportSubjectPublicKeyInfoPem(), new Dictionary<string, string> { ["purpose"] = "signing" }, default);

        var listed = Assert.Single(await _ivs.ListPublicKeysAsync(default));
        Assert.Equal(arn, listed.Arn);
        Assert.Equal("signing", listed.Tags["purpose"]);

        Assert.True(await _ivs.DeletePublicKeyIfExistsAsync(arn, default));
        Assert.False(await _ivs.DeletePublicKeyIfExistsAsync(arn, default));
        Assert.Empty(await _ivs.ListPublicKeysAsync(default));
    }

    private async Task<(string ParticipantId, string SessionId)> JoinAsync(
        string stageArn, string userId, ParticipantCapabilities capabilities)
    {
        var grant = new TokenGrant(userId, capabilities, TimeSpan.FromMinutes(60), new Dictionary<string, string>());
        var token = (await _ivs.CreateParticipantTokenAsync(stageArn, grant, default)).Token;
        using var response = await _http.PostAsJsonAsync("/_sim/join", new Dictionary<string, string> { ["token"] = token });
        response.EnsureSuccessStatusCode();
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return (json.RootElement.GetProperty("participantId").GetString()!, json.RootElement.GetProperty("sessionId").GetString()!);
    }

    private async Task SimulateAsync(string stageArn, string participantId, string action)
    {
        var stageId = stageArn[(stageArn.LastIndexOf('/') + 1)..];
        using var response = await _http.PostAsJsonAsync(
            $"/_sim/stages/{stageId}/participants/{participantId}/{action}", new Dictionary<string, string>());
        response.EnsureSuccessStatusCode();
    }
}
