using System.Net;
using System.Text;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Amazon.Runtime;
using IvsServerless.Core.Paging;
using IvsServerless.Core.Storage;
using IvsServerless.Infrastructure.DynamoDb;

namespace IvsServerless.Infrastructure.Tests;

/// <summary>
/// DynamoDB that throttles or fails with 5xx after the SDK's retries reaches the stores' callers as Core's
/// <see cref="StoreUnavailableException"/> (the API answers 503 + Retry-After); anything else passes through as is.
/// The answers come from a stub HTTP handler behind the real SDK client, so its retry and error parsing run.
/// </summary>
public sealed class UnavailableTableTests
{
    public static TheoryData<HttpStatusCode, string> Unavailable => new()
    {
        { HttpStatusCode.BadRequest, "ProvisionedThroughputExceededException" },
        { HttpStatusCode.BadRequest, "ThrottlingException" },
        { HttpStatusCode.BadRequest, "RequestLimitExceeded" },
        { HttpStatusCode.InternalServerError, "InternalServerError" },
        { HttpStatusCode.InternalServerError, "InternalServerErrorException" },
        { HttpStatusCode.ServiceUnavailable, "ServiceUnavailable" },
    };

    [Theory]
    [MemberData(nameof(Unavailable))]
    public async Task Throttling_and_5xx_after_retries_are_store_unavailable(HttpStatusCode status, string errorType)
    {
        var stub = new StubHandler(status, errorType);
        using var client = Client(stub);
        var stages = new DynamoDbStageStore(client, new DynamoDbOptions { TableName = "t" });

        var thrown = await Assert.ThrowsAsync<StoreUnavailableException>(() => stages.FindAsync("AbCdEfGhIjKl", default));
        Assert.Equal(errorType, thrown.ErrorCode);
        await Assert.ThrowsAsync<StoreUnavailableException>(() => stages.ListLivePublicAsync(new PageRequest(null, 5), default));
        await Assert.ThrowsAsync<StoreUnavailableException>(() => stages.AddAsync(Stages.New(), default));
        Assert.True(stub.Calls >= 3 * 2, $"the SDK's retries ran first ({stub.Calls} calls)");
    }

    [Fact]
    public async Task Other_failures_pass_through_as_they_are()
    {
        using var client = Client(new StubHandler(HttpStatusCode.BadRequest, "ResourceNotFoundException"));
        var stages = new DynamoDbStageStore(client, new DynamoDbOptions { TableName = "t" });
        await Assert.ThrowsAsync<ResourceNotFoundException>(() => stages.FindAsync("AbCdEfGhIjKl", default));

        using var conditional = Client(new StubHandler(HttpStatusCode.BadRequest, "ConditionalCheckFailedException"));
        await Assert.ThrowsAsync<Core.Stages.StageConflictException>(() =>
            new DynamoDbStageStore(conditional, new DynamoDbOptions { TableName = "t" }).UpdateAsync(
                Stages.New() with { Version = 2 }, default));
    }

    private static FaultTranslatingDynamoDbClient Client(StubHandler stub) =>
        new(new BasicAWSCredentials("AKIDEXAMPLE", "secret"), new AmazonDynamoDBConfig
        {
            ServiceURL = "http://dynamodb.invalid",
            AuthenticationRegion = "us-east-1",
            MaxErrorRetry = 1,
            HttpClientFactory = new StubFactory(stub),
        });

    private sealed class StubFactory(StubHandler handler) : HttpClientFactory
    {
        public override HttpClient CreateHttpClient(IClientConfig clientConfig) => new(handler, disposeHandler: false);
    }

    private sealed class StubHandler(HttpStatusCode status, string errorType) : HttpMessageHandler
    {
        private int _calls;

        public int Calls => _calls;

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _calls);
            var body = $$"""{"__type":"com.amazonaws.dynamodb.v20120810#{{errorType}}","message":"no"}""";
            var response = new HttpResponseMessage(status)
            {
                Content = new StringContent(body, Encoding.UTF8, "application/x-amz-json-1.0")
            };
            response.Headers.TryAddWithoutValidation("x-amzn-RequestId", "stub");
            return Task.FromResult(response);
        }
    }
}
