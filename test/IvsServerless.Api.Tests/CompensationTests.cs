using IvsServerless.Api.Tests.Support;

namespace IvsServerless.Api.Tests;

public sealed class CompensationTests : IAsyncLifetime
{
    private ApiHarness _api = null!;

    public async Task InitializeAsync() => _api = await ApiHarness.StartAsync(new FailingAddStageStore());

    public async Task DisposeAsync() => await _api.DisposeAsync();

    [Fact]
    public async Task When_the_store_write_fails_the_IVS_stage_is_deleted_again()
    {
        Assert.Equal(0, await _api.IvsStageCountAsync());

        var response = await _api.SendAsync(ApiRequest.Post("/stages").As("alice").Json("""{"name":"doomed","visibility":"public"}"""));

        Assert.Equal(500, response.Status);
        ErrorMappingTests.AssertIsCleanProblem(response);
        Assert.Equal(0, await _api.IvsStageCountAsync());
        Assert.Empty(_api.Stages.All);
    }
}
