using IvsServerless.Api.Tests.Support;
using IvsServerless.Testing.ApiSupport;

namespace IvsServerless.Api.Tests;

/// <summary>
/// A stage create whose record write fails after IVS made the stage: the IVS stage is taken back only when the record
/// certainly does not exist, so no record is ever left over a deleted IVS stage (a ghost).
/// </summary>
public sealed class CompensationTests
{
    private static readonly ApiRequest Create = ApiRequest.Post("/stages").As("alice").Json("""{"name":"doomed","visibility":"public"}""");

    [Fact]
    public async Task When_the_write_was_not_applied_the_IVS_stage_is_deleted_again()
    {
        await using var api = await ApiHarness.StartAsync(new FailingAddStageStore());

        var response = await api.SendAsync(Create);

        Assert.Equal(503, response.Status);
        ErrorMappingTests.AssertIsCleanProblem(response);
        Assert.Equal(0, await api.IvsStageCountAsync());
        Assert.Empty(api.Stages.All);
    }

    [Fact]
    public async Task When_the_write_was_applied_but_its_response_lost_the_create_succeeds_and_both_remain()
    {
        await using var api = await ApiHarness.StartAsync(new FailingAddStageStore(writeApplied: true));

        var response = await api.SendAsync(Create);

        Assert.Equal(201, response.Status);
        Assert.Equal(1, await api.IvsStageCountAsync());
        var stored = Assert.Single(api.Stages.All);
        Assert.Equal(stored.StageId, response.Json.GetProperty("stageId").GetString());
    }

    [Fact]
    public async Task When_the_store_cannot_say_the_IVS_stage_is_left_for_the_reconciler()
    {
        await using var api = await ApiHarness.StartAsync(new FailingAddStageStore(writeApplied: true, readsFail: true));

        var response = await api.SendAsync(Create);

        Assert.Equal(503, response.Status);
        Assert.Equal(1, await api.IvsStageCountAsync());
        Assert.Single(api.Stages.All);
    }
}
