using IvsServerless.Api.Tests.Support;
using IvsServerless.Core.Quotas;
using IvsServerless.Testing.ApiSupport;

namespace IvsServerless.Api.Tests;

/// <summary>Per-user limits: one user cannot use up the account's stages, compositions or token rate for everyone.</summary>
public sealed class QuotaTests
{
    [Fact]
    public async Task A_stage_over_the_owner_limit_is_409_naming_the_limit_and_makes_no_IVS_stage()
    {
        await using var api = await ApiHarness.StartAsync(new QuotaOptions { StagesPerOwner = 2 });
        await api.CreateStageAsync("alice");
        await api.CreateStageAsync("alice");

        var third = await api.SendAsync(CreateStage("alice"));

        Assert.Equal(409, third.Status);
        Assert.Equal("quota-exceeded", third.Code);
        Assert.Contains("2 stages", third.Json.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(2, await api.IvsStageCountAsync());
        Assert.Equal(201, (await api.SendAsync(CreateStage("bob"))).Status);
    }

    [Fact]
    public async Task A_stage_whose_claim_cannot_be_confirmed_is_still_201_as_it_exists_and_counts_until_the_claim_lapses()
    {
        await using var api = await ApiHarness.StartAsync(new QuotaOptions { StagesPerOwner = 1 });
        var ledger = (InMemoryUsageLedger)api.Usage;
        ledger.FailSet = () => new IvsServerless.Core.Storage.StoreUnavailableException("Throttled (injected).", "ThrottlingException");

        var created = await api.SendAsync(CreateStage("alice"));

        // The record is stored, so the stage exists: a 503 here would make the client retry into a second stage.
        Assert.Equal(201, created.Status);
        var stageId = created.Json.GetProperty("stageId").GetString()!;
        Assert.Equal(200, (await api.SendAsync(ApiRequest.Get($"/stages/{stageId}").As("alice"))).Status);
        Assert.Equal(1, await api.IvsStageCountAsync());

        // The claim stays pending: it still holds the slot (until its lifetime ends, as for a create that never confirmed).
        ledger.FailSet = null;
        Assert.Equal(409, (await api.SendAsync(CreateStage("alice"))).Status);
    }

    [Fact]
    public async Task A_deleted_stage_frees_its_slot()
    {
        await using var api = await ApiHarness.StartAsync(new QuotaOptions { StagesPerOwner = 1 });
        var stageId = await api.CreateStageAsync("alice");
        Assert.Equal(409, (await api.SendAsync(CreateStage("alice"))).Status);

        Assert.Equal(204, (await api.SendAsync(ApiRequest.Delete($"/stages/{stageId}").As("alice"))).Status);

        Assert.Equal(201, (await api.SendAsync(CreateStage("alice"))).Status);
    }

    [Fact]
    public async Task A_create_that_never_confirmed_stops_counting_after_its_lifetime_but_not_before()
    {
        await using var api = await ApiHarness.StartAsync(new QuotaOptions { StagesPerOwner = 1 });
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        await api.Usage.TryClaimAsync("STAGES#alice", "crashed", $"pending@{now - 60}", 1, null, CancellationToken.None);
        Assert.Equal(409, (await api.SendAsync(CreateStage("alice"))).Status);

        await api.Usage.SetAsync("STAGES#alice", "crashed", $"pending@{now - (int)UserQuotas.PendingLifetime.TotalSeconds - 1}",
            CancellationToken.None);

        Assert.Equal(201, (await api.SendAsync(CreateStage("alice"))).Status);
    }

    [Fact]
    public async Task Concurrent_creates_never_pass_the_limit_together()
    {
        await using var api = await ApiHarness.StartOnDynamoDbLocalAsync(new QuotaOptions { StagesPerOwner = 3 });

        var answers = await Task.WhenAll(Enumerable.Range(0, 12).Select(_ => api.SendAsync(CreateStage("alice"))));

        Assert.Equal(3, answers.Count(a => a.Status == 201));
        Assert.All(answers.Where(a => a.Status != 201), a => Assert.Equal("quota-exceeded", a.Code));
        Assert.Equal(3, await api.IvsStageCountAsync());
    }

    [Fact]
    public async Task Token_mints_over_the_rate_are_429_with_Retry_After_and_refusals_do_not_count()
    {
        await using var api = await ApiHarness.StartAsync(new QuotaOptions { TokenMintsPerMinute = 3 });
        var publicStage = await api.CreateStageAsync("alice");
        var privateStage = await api.CreateStageAsync("alice", visibility: "private");

        // A refused mint (a stranger on a private stage) costs the caller nothing.
        Assert.Equal(404, (await api.SendAsync(Mint(privateStage, "zoe"))).Status);
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(201, (await api.SendAsync(Mint(publicStage, "zoe"))).Status);
        }

        var fourth = await api.SendAsync(Mint(publicStage, "zoe"));

        Assert.Equal(429, fourth.Status);
        Assert.Equal("rate-limited", fourth.Code);
        var retryAfter = int.Parse(fourth.Headers["retry-after"], System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(retryAfter, 1, 60);
        Assert.Equal(201, (await api.SendAsync(Mint(publicStage, "yan"))).Status);
    }

    [Fact]
    public async Task Compositions_over_the_owner_limit_are_409_a_retried_start_holds_one_slot_and_an_ended_one_frees_it()
    {
        await using var api = await ApiHarness.StartAsync(new QuotaOptions { ConcurrentCompositionsPerOwner = 1 });
        var first = await api.CreateStageAsync("alice");
        var second = await api.CreateStageAsync("alice");

        var started = await api.SendAsync(StartComposition(first, "k-1"));
        var retried = await api.SendAsync(StartComposition(first, "k-1"));
        var other = await api.SendAsync(StartComposition(second, "k-2"));

        Assert.Equal((201, 200), (started.Status, retried.Status));
        Assert.Equal(409, other.Status);
        Assert.Equal("quota-exceeded", other.Code);

        var compositionId = started.Json.GetProperty("compositionId").GetString()!;
        await api.Compositions.SetStateAsync(first, compositionId, "STOPPED", DateTimeOffset.UtcNow, CancellationToken.None);

        Assert.Equal(201, (await api.SendAsync(StartComposition(second, "k-2"))).Status);
    }

    [Fact]
    public async Task Limits_count_for_the_acting_user_whatever_their_role_on_the_stage()
    {
        await using var api = await ApiHarness.StartAsync(new QuotaOptions { TokenMintsPerMinute = 1 });
        var stageId = await api.CreateStageAsync("alice", visibility: "private", coHosts: ["cohost"], invited: ["guest"]);

        foreach (var user in new[] { "alice", "cohost", "guest" })
        {
            Assert.Equal(201, (await api.SendAsync(Mint(stageId, user))).Status);
            Assert.Equal(429, (await api.SendAsync(Mint(stageId, user))).Status);
        }

        Assert.Equal(404, (await api.SendAsync(Mint(stageId, "stranger"))).Status);
        Assert.Equal(401, (await api.SendAsync(ApiRequest.Post($"/stages/{stageId}/participant-tokens"))).Status);
    }

    private static ApiRequest CreateStage(string owner) =>
        ApiRequest.Post("/stages").As(owner).Json("""{"name":"quota","visibility":"public"}""");

    private static ApiRequest Mint(string stageId, string user) => ApiRequest.Post($"/stages/{stageId}/participant-tokens").As(user);

    private static ApiRequest StartComposition(string stageId, string key) =>
        ApiRequest.Post($"/stages/{stageId}/compositions").As("alice").Header("Idempotency-Key", key);
}
