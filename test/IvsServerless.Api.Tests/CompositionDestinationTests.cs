using System.Text.Json;
using Amazon.Runtime;
using IvsServerless.Api.HttpApi;
using IvsServerless.Api.Tests.Support;
using IvsServerless.IvsEmulator;
using IvsServerless.IvsRealTime;
using IvsServerless.IvsRealTime.Adapter;
using IvsServerless.Lambda.Runtime;

namespace IvsServerless.Api.Tests;

/// <summary>Compositions record to S3, broadcast to an IVS channel, or both — whatever the deployment configured.</summary>
public sealed class CompositionDestinationTests : IAsyncLifetime
{
    private const string Channel = "arn:aws:ivs:us-east-1:123456789012:channel/abcdABCD1234";
    private EmulatorServer _emulator = null!;
    private HttpClient _http = null!;
    private IvsRealTimeClient _ivs = null!;
    private string _storage = null!;
    private string _encoder = null!;

    public async Task InitializeAsync()
    {
        _emulator = await EmulatorServer.StartAsync(options: new EmulatorOptions { Region = "us-east-1" });
        _http = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false });
        _ivs = new IvsRealTimeClient(_http,
            new IvsRealTimeClientOptions
            {
                Region = "us-east-1",
                ServiceUrl = _emulator.BaseAddress.ToString().TrimEnd('/'),
                MaxAttempts = 1
            },
            new BasicAWSCredentials("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"));
        _storage = (
            await _ivs.CreateStorageConfigurationAsync(
            new CreateStorageConfigurationRequest
            {
                S3 = new S3StorageConfiguration { BucketName = "recordings" }
            })).StorageConfiguration!.Arn;
        _encoder = (
            await _ivs.CreateEncoderConfigurationAsync(new CreateEncoderConfigurationRequest { Name = "hd" })).EncoderConfiguration!.Arn;
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _emulator.DisposeAsync();
    }

    [Fact]
    public async Task A_channel_only_deployment_broadcasts_to_the_channel_with_the_encoder_configuration()
    {
        var destinations = await StartAsync(storage: null, channel: Channel);

        var channel = Assert.Single(destinations).Channel!;
        Assert.Equal(Channel, channel.ChannelArn);
        Assert.Equal(_encoder, channel.EncoderConfigurationArn);
    }

    [Fact]
    public async Task A_deployment_with_both_records_and_broadcasts()
    {
        var destinations = await StartAsync(storage: _storage, channel: Channel);

        Assert.Equal(2, destinations.Count);
        Assert.Equal(_storage, Assert.Single(destinations, d => d.S3 is not null).S3!.StorageConfigurationArn);
        Assert.Equal(Channel, Assert.Single(destinations, d => d.Channel is not null).Channel!.ChannelArn);
    }

    [Fact]
    public async Task Without_a_destination_compositions_are_not_configured_and_nothing_starts()
    {
        var handler = Handler(storage: null, channel: null, encoder: _encoder);
        var stageId = await CreateStageAsync(handler);

        var response = await SendAsync(handler, ApiRequest.Post($"/stages/{stageId}/compositions").As("alice"));

        Assert.Equal(503, response.Status);
        Assert.Equal("compositions-not-configured", response.Code);
        Assert.Empty((await _ivs.ListCompositionsAsync(new ListCompositionsRequest())).Compositions);
    }

    private async Task<List<DestinationConfiguration>> StartAsync(string? storage, string? channel)
    {
        var handler = Handler(storage, channel, _encoder);
        var stageId = await CreateStageAsync(handler);
        var started = await SendAsync(handler, ApiRequest.Post($"/stages/{stageId}/compositions").As("alice"));
        Assert.Equal(201, started.Status);

        var composition = Assert.Single((await _ivs.ListCompositionsAsync(new ListCompositionsRequest())).Compositions);
        var detail = await _ivs.GetCompositionAsync(new GetCompositionRequest { Arn = composition.Arn });
        return [.. detail.Composition!.Destinations.Select(d => d.Configuration!)];
    }

    private ApiHandler Handler(string? storage, string? channel, string encoder) =>
        new(new InMemoryStageStore(), new InMemoryCompositionStore(), new InMemoryUsageLedger(),
        ApiIvsPorts.Of(new IvsRealTimeAdapter(_ivs)),
        new ApiOptions
        {
            DeploymentTag = "tests",
            CompositionStorageConfigurationArn = storage,
            CompositionChannelArn = channel,
            CompositionEncoderConfigurationArn = encoder
        });

    private static async Task<string> CreateStageAsync(ApiHandler handler)
    {
        var created = await SendAsync(handler, ApiRequest.Post("/stages").As("alice").Json("""{"name":"show","visibility":"public"}"""));
        Assert.Equal(201, created.Status);
        return created.Json.GetProperty("stageId").GetString()!;
    }

    private static async Task<ApiResponse> SendAsync(ApiHandler handler, ApiRequest request)
    {
        var bytes = await handler.HandleAsync(
            JsonSerializer.SerializeToUtf8Bytes(request.Build(), HttpApiJsonContext.Default.APIGatewayHttpApiV2ProxyRequest),
            new LambdaContext { AwsRequestId = "r", Deadline = DateTimeOffset.UtcNow.AddSeconds(30) }, CancellationToken.None);
        return new ApiResponse(JsonSerializer.Deserialize(bytes.Span, HttpApiJsonContext.Default.APIGatewayHttpApiV2ProxyResponse)!);
    }
}
