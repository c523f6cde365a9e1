using IvsServerless.Api.Tests.Support;
using IvsServerless.IvsRealTime;

namespace IvsServerless.Api.Tests;

public abstract class CompositionTestsBase : IAsyncLifetime
{
    private ApiHarness _api = null!;

    public async Task InitializeAsync() => _api = await StartHarnessAsync();

    protected abstract Task<ApiHarness> StartHarnessAsync();

    public async Task DisposeAsync() => await _api.DisposeAsync();

    [Fact]
    public async Task Start_is_idempotent_per_key_listed_and_stopped()
    {
        var stageId = await _api.CreateStageAsync("alice");

        var first = await _api.SendAsync(ApiRequest.Post($"/stages/{stageId}/compositions").As("alice").Header("Idempotency-Key", "k-1"));
        Assert.Equal(201, first.Status);
        var compositionId = first.Json.GetProperty("compositionId").GetString()!;
        var retry = await _api.SendAsync(ApiRequest.Post($"/stages/{stageId}/compositions").As("alice").Header("Idempotency-Key", "k-1"));
        Assert.Equal(200, retry.Status);
        Assert.Equal(compositionId, retry.Json.GetProperty("compositionId").GetString());
        var ivsList = await _api.Ivs.ListCompositionsAsync(new ListCompositionsRequest());
        Assert.Single(ivsList.Compositions);

        var listed = await _api.SendAsync(ApiRequest.Get($"/stages/{stageId}/compositions").As("zoe"));
        Assert.Equal(compositionId, listed.Json.GetProperty("items")[0].GetProperty("compositionId").GetString());
        var stage = await _api.SendAsync(ApiRequest.Get($"/stages/{stageId}").As("zoe"));
        Assert.Equal(1, stage.Json.GetProperty("compositions").GetArrayLength());

        Assert.Equal(204, (await _api.SendAsync(ApiRequest.Delete($"/stages/{stageId}/compositions/{compositionId}").As("alice"))).Status);
        Assert.Equal(204, (await _api.SendAsync(ApiRequest.Delete($"/stages/{stageId}/compositions/{compositionId}").As("alice"))).Status);
    }

    [Fact]
    public async Task Deleting_a_stage_stores_its_unfinished_compositions_stopped_and_frees_the_owners_quota()
    {
        var stageId = await _api.CreateStageAsync("alice");
        var stopped = await _api.SendAsync(ApiRequest.Post($"/stages/{stageId}/compositions").As("alice").Header("Idempotency-Key", "k-1"));
        var running = await _api.SendAsync(ApiRequest.Post($"/stages/{stageId}/compositions").As("alice").Header("Idempotency-Key", "k-2"));
        Assert.Equal((201, 201), (stopped.Status, running.Status));
        var stoppedId = stopped.Json.GetProperty("compositionId").GetString()!;
        Assert.Equal(204, (await _api.SendAsync(ApiRequest.Delete($"/stages/{stageId}/compositions/{stoppedId}").As("alice"))).Status);
        Assert.Contains(await _api.StoredCompositionsAsync(stageId), c => c.State is "STARTING" or "STOPPING");

        Assert.Equal(204, (await _api.SendAsync(ApiRequest.Delete($"/stages/{stageId}").As("alice"))).Status);

        // No event will end them and the reconciler no longer looks at the stage: the deletion itself settles them.
        Assert.All(await _api.StoredCompositionsAsync(stageId), c => Assert.Equal(("STOPPED", true), (c.State, c.EndedAt is not null)));
        var next = await _api.CreateStageAsync("alice");
        foreach (var key in new[] { "k-3", "k-4" })
        {
            var start = await _api.SendAsync(ApiRequest.Post($"/stages/{next}/compositions").As("alice").Header("Idempotency-Key", key));
            Assert.Equal(201, start.Status);
        }
    }

    [Fact]
    public async Task Stopping_a_composition_IVS_no_longer_knows_stores_it_as_stopped()
    {
        var stageId = await _api.CreateStageAsync("alice");
        var gone = new IvsServerless.Core.Compositions.Composition(
            "arn:aws:ivs:us-east-1:123456789012:composition/GoneGoneGone", stageId, "alice", "k-gone", "STARTING", DateTimeOffset.UtcNow);
        await _api.AddStoredCompositionAsync(gone);

        var response = await _api.SendAsync(ApiRequest.Delete($"/stages/{stageId}/compositions/GoneGoneGone").As("alice"));

        Assert.Equal(204, response.Status);
        var stored = Assert.Single(await _api.StoredCompositionsAsync(stageId));
        Assert.Equal(("STOPPED", true), (stored.State, stored.EndedAt is not null));
    }

    [Fact]
    public async Task A_bad_idempotency_key_is_400_and_starts_nothing()
    {
        var stageId = await _api.CreateStageAsync("alice");
        var response = await _api.SendAsync(
            ApiRequest.Post($"/stages/{stageId}/compositions").As("alice").Header("Idempotency-Key", "has spaces"));
        Assert.Equal(400, response.Status);
        Assert.Contains("Idempotency-Key", response.ErrorFields);
        Assert.Empty((await _api.Ivs.ListCompositionsAsync(new ListCompositionsRequest())).Compositions);
        Assert.Empty(await _api.StoredCompositionsAsync(stageId));
    }
}

/// <summary>With in-memory stores.</summary>
public sealed class CompositionTests : CompositionTestsBase
{
    protected override Task<ApiHarness> StartHarnessAsync() => ApiHarness.StartAsync();
}

/// <summary>With the production DynamoDB adapters on DynamoDB Local.</summary>
public sealed class CompositionTestsOnDynamoDbLocal : CompositionTestsBase
{
    protected override Task<ApiHarness> StartHarnessAsync() => ApiHarness.StartOnDynamoDbLocalAsync();
}
