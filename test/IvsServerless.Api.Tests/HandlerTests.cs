using System.Text.Json;
using IvsServerless.Api.HttpApi;
using IvsServerless.Api.Tests.Support;
using IvsServerless.Lambda.Runtime;

namespace IvsServerless.Api.Tests;

/// <summary>The Lambda entry point: real event bytes in, result bytes out, deadline respected.</summary>
public sealed class HandlerTests : IAsyncLifetime
{
    private ApiHarness _api = null!;

    public async Task InitializeAsync() => _api = await ApiHarness.StartAsync();

    public async Task DisposeAsync() => await _api.DisposeAsync();

    [Fact]
    public async Task A_sample_event_as_API_Gateway_sends_it_creates_a_stage_for_the_sub()
    {
        var payload = await File.ReadAllBytesAsync(Path.Combine(AppContext.BaseDirectory, "events", "http-api", "create-stage.json"));

        var bytes = await _api.Handler.HandleAsync(payload, new LambdaContext { AwsRequestId = "r1" }, CancellationToken.None);

        var response = new ApiResponse(
            JsonSerializer.Deserialize(bytes.Span, HttpApiJsonContext.Default.APIGatewayHttpApiV2ProxyResponse)!);
        Assert.Equal(201, response.Status);
        Assert.Equal("0f6c5e1a-8d3b-4c8e-9f00-0123456789ab", response.Json.GetProperty("ownerId").GetString());
        Assert.Equal("sample-stage", response.Json.GetProperty("name").GetString());
    }

    [Fact]
    public async Task A_request_past_its_deadline_gets_503_instead_of_being_killed_mid_way()
    {
        var stageId = await _api.CreateStageAsync("alice");
        var ivsStages = await _api.IvsStageCountAsync();
        var context = new LambdaContext { AwsRequestId = "r2", Deadline = DateTimeOffset.UtcNow.AddMilliseconds(100) };

        var response = new ApiResponse(await _api.Handler.HandleAsync(
            ApiRequest.Post("/stages").As("alice").Json("""{"name":"late","visibility":"public"}""").Build(), context,
                CancellationToken.None));

        Assert.Equal(503, response.Status);
        Assert.Equal("timeout", response.Code);
        Assert.Equal(ivsStages, await _api.IvsStageCountAsync());
        Assert.NotNull(stageId);
    }
}
