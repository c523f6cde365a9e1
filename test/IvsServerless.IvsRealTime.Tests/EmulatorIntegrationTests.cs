using Amazon.Runtime;
using IvsServerless.IvsEmulator;

namespace IvsServerless.IvsRealTime.Tests;

/// <summary>The typed client against the local emulator over real HTTP, signed with real SigV4.</summary>
public sealed class EmulatorIntegrationTests : IAsyncLifetime
{
    private EmulatorServer _emulator = null!;
    private HttpClient _http = null!;
    private IvsRealTimeClient _ivs = null!;

    public async Task InitializeAsync()
    {
        _emulator = await EmulatorServer.StartAsync(options: new EmulatorOptions { Region = "us-east-1" });
        _http = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false });
        _ivs = new IvsRealTimeClient(_http,
            new IvsRealTimeClientOptions { Region = "eu-west-1", ServiceUrl = _emulator.BaseAddress.ToString().TrimEnd('/') },
            new BasicAWSCredentials("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"));
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _emulator.DisposeAsync();
    }

    [Fact]
    public async Task Stage_and_token_round_trip_and_the_region_comes_from_the_signature()
    {
        var created = await _ivs.CreateStageAsync(
            new CreateStageRequest { Name = "client-test", Tags = new Dictionary<string, string> { ["owner"] = "u1" } });
        Assert.StartsWith("arn:aws:ivs:eu-west-1:123456789012:stage/", created.Stage!.Arn, StringComparison.Ordinal);

        var fetched = await _ivs.GetStageAsync(new GetStageRequest { Arn = created.Stage.Arn });
        Assert.Equal("client-test", fetched.Stage!.Name);
        Assert.Equal("u1", fetched.Stage.Tags!["owner"]);

        var token = await _ivs.CreateParticipantTokenAsync(new CreateParticipantTokenRequest
        {
            StageArn = created.Stage.Arn,
            UserId = "u2",
            Duration = 30,
            Capabilities = [ParticipantTokenCapability.Subscribe],
        });
        Assert.Equal([ParticipantTokenCapability.Subscribe], token.ParticipantToken!.Capabilities);
        Assert.Equal(3, token.ParticipantToken.Token!.Split('.').Length);
        Assert.True(token.ParticipantToken.ExpirationTime > DateTimeOffset.UtcNow.AddMinutes(29));

        await _ivs.DeleteStageAsync(new DeleteStageRequest { Arn = created.Stage.Arn });
        var missing = await Assert.ThrowsAsync<ResourceNotFoundException>(
            () => _ivs.GetStageAsync(new GetStageRequest { Arn = created.Stage.Arn }));
        Assert.Equal(404, (int)missing.StatusCode);
        Assert.False(string.IsNullOrEmpty(missing.RequestId));
    }

    [Fact]
    public async Task Server_side_validation_surfaces_as_a_typed_ValidationException()
    {
        var error = await Assert.ThrowsAsync<ValidationException>(
            () => _ivs.CreateStageAsync(new CreateStageRequest { Name = "bad name!" }));
        Assert.Contains("regular expression pattern", error.Message, StringComparison.Ordinal);
    }
}
