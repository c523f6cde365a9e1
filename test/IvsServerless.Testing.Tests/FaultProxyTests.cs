using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Amazon.Runtime;
using IvsServerless.IvsEmulator;
using IvsServerless.Testing.Faults;
using Ivs = IvsServerless.IvsRealTime;

namespace IvsServerless.Testing.Tests;

/// <summary>The fault proxy seen from the real clients: each fault kind as the AWS SDK (DynamoDB Local behind it) and the typed IVS
/// client (the emulator behind it) observe it, and the schedule's determinism.</summary>
public sealed class FaultProxyTests(ItemsTable table) : IClassFixture<ItemsTable>, IAsyncLifetime
{
    private FaultProxy _dynamoProxy = null!;
    private AmazonDynamoDBClient _client = null!;

    public async Task InitializeAsync()
    {
        _dynamoProxy = await FaultProxy.StartAsync(table.Engine.ServiceUrl, FaultFlavour.DynamoDb);
        _client = new AmazonDynamoDBClient(new BasicAWSCredentials("local", "local"), new AmazonDynamoDBConfig
        {
            ServiceURL = _dynamoProxy.ServiceUrl,
            AuthenticationRegion = "us-east-1",
            MaxErrorRetry = 0,
        });
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _dynamoProxy.DisposeAsync();
    }

    [Fact]
    public async Task Without_faults_requests_pass_through()
    {
        await PutAsync("pass");
        Assert.True(await ExistsAsync("pass"));
        var record = Assert.Single(_dynamoProxy.Log);
        Assert.Equal(("PutItem", FaultKind.None, 200), (record.Operation, record.Kind, record.Status));
    }

    [Theory]
    [InlineData(0, typeof(ProvisionedThroughputExceededException))]
    [InlineData(1, typeof(ThrottlingException))]
    public async Task DynamoDb_throttling_is_the_services_error(int variant, Type expected)
    {
        _dynamoProxy.Schedule = FaultSchedule.Always(new Fault(FaultKind.Throttle, Variant: variant));
        var error = await Assert.ThrowsAnyAsync<AmazonDynamoDBException>(() => PutAsync("throttled-" + variant));
        Assert.IsType(expected, error);
        Assert.Equal(400, (int)error.StatusCode);
        Assert.False(await ExistsAsync("throttled-" + variant));
    }

    [Fact]
    public async Task DynamoDb_500_and_503_are_server_faults_that_change_nothing()
    {
        _dynamoProxy.Schedule = FaultSchedule.Always(new Fault(FaultKind.InternalError));
        var internalError = await Assert.ThrowsAsync<InternalServerErrorException>(() => PutAsync("five-hundred"));
        Assert.Equal(500, (int)internalError.StatusCode);
        _dynamoProxy.Schedule = FaultSchedule.Always(new Fault(FaultKind.Unavailable));
        var unavailable = await Assert.ThrowsAnyAsync<AmazonServiceException>(() => PutAsync("five-oh-three"));
        Assert.Equal(503, (int)unavailable.StatusCode);
        Assert.False(await ExistsAsync("five-hundred"));
        Assert.False(await ExistsAsync("five-oh-three"));
    }

    [Fact]
    public async Task A_connection_dropped_before_forwarding_applies_nothing()
    {
        _dynamoProxy.Schedule = FaultSchedule.Always(new Fault(FaultKind.DropBeforeForward));
        await Assert.ThrowsAnyAsync<Exception>(() => PutAsync("dropped-before"));
        Assert.False(await ExistsAsync("dropped-before"));
        // The HTTP stack may retry a request whose connection closed before any answer; none of them reached the table.
        Assert.All(_dynamoProxy.Log, r => Assert.Equal((FaultKind.DropBeforeForward, (int?)null), (r.Kind, r.Status)));
    }

    [Fact]
    public async Task A_response_dropped_after_forwarding_leaves_the_write_applied()
    {
        _dynamoProxy.Schedule = FaultSchedule.Always(new Fault(FaultKind.DropAfterForward));
        await Assert.ThrowsAnyAsync<Exception>(() => PutAsync("dropped-after"));
        Assert.True(await ExistsAsync("dropped-after"));
    }

    [Fact]
    public async Task A_delayed_response_arrives_and_is_logged_with_its_delay()
    {
        _dynamoProxy.Schedule = FaultSchedule.Always(new Fault(FaultKind.Delay, TimeSpan.FromMilliseconds(50)));
        await PutAsync("delayed");
        var record = Assert.Single(_dynamoProxy.Log);
        Assert.Equal((FaultKind.Delay, 200, TimeSpan.FromMilliseconds(50)), (record.Kind, record.Status, record.Delay));
        Assert.True(await ExistsAsync("delayed"));
    }

    [Fact]
    public async Task Only_eligible_operations_are_faulted()
    {
        _dynamoProxy.Schedule = new FaultSchedule(1, new FaultMix(Throttle: 1)) { Eligible = op => op == "PutItem" };
        await Assert.ThrowsAnyAsync<AmazonDynamoDBException>(() => PutAsync("eligible"));
        await _client.GetItemAsync(table.TableName, Key("eligible"));
        Assert.Equal([("PutItem", FaultKind.Throttle), ("GetItem", FaultKind.None)], _dynamoProxy.Log.Select(r => (r.Operation, r.Kind)));
    }

    [Fact]
    public async Task Ivs_faults_are_seen_by_the_typed_client_as_the_service_would_answer()
    {
        await using var emulator = await EmulatorServer.StartAsync(options: new EmulatorOptions { Region = "us-east-1" });
        await using var proxy = await FaultProxy.StartAsync(emulator.BaseAddress.ToString(), FaultFlavour.Ivs);
        using var http = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false });
        var ivs = IvsClient(http, proxy.ServiceUrl);
        var direct = IvsClient(http, emulator.BaseAddress.ToString().TrimEnd('/'));

        proxy.Schedule = FaultSchedule.Always(new Fault(FaultKind.Throttle));
        var throttled = await Assert.ThrowsAsync<Ivs.ThrottlingException>(() => ivs.CreateStageAsync(new Ivs.CreateStageRequest()));
        Assert.Equal(429, (int)throttled.StatusCode);
        proxy.Schedule = FaultSchedule.Always(new Fault(FaultKind.InternalError));
        var internalError = await Assert.ThrowsAsync<Ivs.InternalServerException>(() => ivs.CreateStageAsync(new Ivs.CreateStageRequest()));
        Assert.Equal(500, (int)internalError.StatusCode);
        proxy.Schedule = FaultSchedule.Always(new Fault(FaultKind.Unavailable));
        var unavailable = await Assert.ThrowsAnyAsync<Ivs.IvsRealTimeException>(() => ivs.CreateStageAsync(new Ivs.CreateStageRequest()));
        Assert.Equal(503, (int)unavailable.StatusCode);
        proxy.Schedule = FaultSchedule.Always(new Fault(FaultKind.DropBeforeForward));
        await Assert.ThrowsAsync<HttpRequestException>(() => ivs.CreateStageAsync(new Ivs.CreateStageRequest()));
        Assert.Empty((await direct.ListStagesAsync(new Ivs.ListStagesRequest())).Stages);

        proxy.Schedule = FaultSchedule.Always(new Fault(FaultKind.DropAfterForward));
        await Assert.ThrowsAsync<HttpRequestException>(() => ivs.CreateStageAsync(new Ivs.CreateStageRequest()));
        Assert.Single((await direct.ListStagesAsync(new Ivs.ListStagesRequest())).Stages);

        proxy.Schedule = FaultSchedule.Always(new Fault(FaultKind.Delay, TimeSpan.FromMilliseconds(20)));
        Assert.Single((await ivs.ListStagesAsync(new Ivs.ListStagesRequest())).Stages);
        Assert.Equal(
            [FaultKind.Throttle, FaultKind.InternalError, FaultKind.Unavailable, FaultKind.DropBeforeForward, FaultKind.DropAfterForward,
                FaultKind.Delay],
            proxy.Log.Select(r => r.Kind));
        Assert.All(proxy.Log, r => Assert.Contains(r.Operation, new[] { "CreateStage", "ListStages" }));
    }

    [Fact]
    public void One_seed_gives_the_same_decisions_whatever_the_order_and_brown_outs_fail_most_requests()
    {
        var mix = FaultMix.Every(0.1);
        var first = new FaultSchedule(7, mix, new BrownOut(200, 100));
        var again = new FaultSchedule(7, mix, new BrownOut(200, 100));
        var other = new FaultSchedule(8, mix, new BrownOut(200, 100));
        var forward = Enumerable.Range(0, 400).Select(n => first.Decide(n, "PutItem")).ToList();
        var backward = Enumerable.Range(0, 400).Reverse().Select(n => again.Decide(n, "PutItem")).Reverse().ToList();
        Assert.Equal(forward, backward);
        Assert.NotEqual(forward, Enumerable.Range(0, 400).Select(n => other.Decide(n, "PutItem")));

        var outside = forward.Take(200).Count(f => f.Kind != FaultKind.None);
        var inside = forward.Skip(200).Take(100).Count(f => f.Kind != FaultKind.None);
        Assert.InRange(outside, 80, 160);
        Assert.InRange(inside, 80, 100);
        Assert.All(forward.Skip(200).Take(100), f => Assert.Contains(f.Kind,
            new[] { FaultKind.None, FaultKind.Throttle, FaultKind.Unavailable, FaultKind.DropBeforeForward }));
        Assert.All(forward.Where(f => f.Kind == FaultKind.Delay), f => Assert.InRange(f.Delay, TimeSpan.Zero, mix.MaxDelay));
        Assert.Equal(6, forward.Take(200).Select(f => f.Kind).Where(k => k != FaultKind.None).Distinct().Count());
    }

    private static Ivs.IvsRealTimeClient IvsClient(HttpClient http, string serviceUrl) =>
        new(http, new Ivs.IvsRealTimeClientOptions { Region = "us-east-1", ServiceUrl = serviceUrl, MaxAttempts = 1 },
            new BasicAWSCredentials("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"));

    private Task PutAsync(string id) => _client.PutItemAsync(new PutItemRequest
    {
        TableName = table.TableName,
        Item = new Dictionary<string, AttributeValue> { ["PK"] = new("fault#" + id), ["SK"] = new("item") },
    });

    private static Dictionary<string, AttributeValue> Key(string id) => new() { ["PK"] = new("fault#" + id), ["SK"] = new("item") };

    private async Task<bool> ExistsAsync(string id) =>
        (await table.Client.GetItemAsync(new GetItemRequest { TableName = table.TableName, Key = Key(id), ConsistentRead = true }))
            .IsItemSet;
}
