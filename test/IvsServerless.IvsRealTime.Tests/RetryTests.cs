using System.Net;

namespace IvsServerless.IvsRealTime.Tests;

public sealed class RetryTests
{
    private static readonly GetStageRequest Request = new() { Arn = TestClients.StageArn };

    [Fact]
    public async Task Throttling_and_server_errors_are_retried_until_success()
    {
        var delays = new List<TimeSpan>();
        var handler = new RecordingHandler()
            .Respond(HttpStatusCode.TooManyRequests, "")
            .Respond(HttpStatusCode.InternalServerError, """{"exceptionMessage":"oops"}""", ("x-amzn-ErrorType", "InternalServerException"))
            .Respond("""{"stage":{"arn":"a"}}""");
        var client = TestClients.Create(handler, delays: delays);

        var response = await client.GetStageAsync(Request);

        Assert.Equal("a", response.Stage!.Arn);
        Assert.Equal(3, handler.Requests.Count);
        Assert.Equal(2, delays.Count);
        Assert.InRange(delays[0], TimeSpan.Zero, TimeSpan.FromMilliseconds(100));
        Assert.InRange(delays[1], TimeSpan.Zero, TimeSpan.FromMilliseconds(200));
    }

    [Theory]
    [InlineData(HttpStatusCode.BadRequest, "ThrottlingException")]
    [InlineData(HttpStatusCode.BadGateway, null)]
    [InlineData(HttpStatusCode.ServiceUnavailable, null)]
    [InlineData(HttpStatusCode.GatewayTimeout, null)]
    public async Task Other_retryable_answers_are_retried(HttpStatusCode status, string? errorType)
    {
        var handler = new RecordingHandler()
            .Respond(status, "{}", errorType is null ? [] : [("x-amzn-ErrorType", errorType)])
            .Respond("{}");

        await TestClients.Create(handler).GetStageAsync(Request);

        Assert.Equal(2, handler.Requests.Count);
    }

    [Theory]
    [InlineData(HttpStatusCode.BadRequest, "ValidationException")]
    [InlineData(HttpStatusCode.PaymentRequired, "ServiceQuotaExceededException")]
    [InlineData(HttpStatusCode.Forbidden, "AccessDeniedException")]
    [InlineData(HttpStatusCode.NotFound, "ResourceNotFoundException")]
    [InlineData(HttpStatusCode.Conflict, "ConflictException")]
    public async Task Client_errors_are_not_retried(HttpStatusCode status, string errorType)
    {
        var delays = new List<TimeSpan>();
        var handler = new RecordingHandler().Respond(status, """{"exceptionMessage":"no"}""", ("x-amzn-ErrorType", errorType));
        var client = TestClients.Create(handler, delays: delays);

        var error = await Assert.ThrowsAnyAsync<IvsRealTimeException>(() => client.GetStageAsync(Request));

        Assert.Equal(errorType, error.ErrorType);
        Assert.Single(handler.Requests);
        Assert.Empty(delays);
    }

    [Fact]
    public async Task Gives_up_after_MaxAttempts_with_the_last_error()
    {
        var delays = new List<TimeSpan>();
        var handler = new RecordingHandler();
        for (var i = 0; i < 4; i++)
        {
            handler.Respond(
                HttpStatusCode.ServiceUnavailable, """{"exceptionMessage":"busy"}""", ("x-amzn-ErrorType", "InternalServerException"));
        }

        var client = TestClients.Create(handler, TestClients.Options(maxAttempts: 4), delays: delays);

        var error = await Assert.ThrowsAsync<InternalServerException>(() => client.GetStageAsync(Request));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, error.StatusCode);
        Assert.Equal(4, handler.Requests.Count);
        Assert.Equal(3, delays.Count);
    }

    [Fact]
    public async Task MaxAttempts_of_one_never_retries()
    {
        var handler = new RecordingHandler().Respond(HttpStatusCode.TooManyRequests, "");
        var client = TestClients.Create(handler, TestClients.Options(maxAttempts: 1));

        await Assert.ThrowsAsync<ThrottlingException>(() => client.GetStageAsync(Request));
        Assert.Single(handler.Requests);
    }

    [Fact]
    public async Task Network_failures_and_http_timeouts_are_retried()
    {
        var handler = new RecordingHandler()
            .Throw(new HttpRequestException("Connection refused"))
            .Throw(new TaskCanceledException("HttpClient.Timeout elapsed", new TimeoutException()))
            .Respond("{}");

        await TestClients.Create(handler).GetStageAsync(Request);

        Assert.Equal(3, handler.Requests.Count);
    }

    [Fact]
    public async Task Unexpected_client_side_failures_are_not_retried()
    {
        var handler = new RecordingHandler().Throw(new InvalidOperationException("bug"));

        await Assert.ThrowsAsync<InvalidOperationException>(() => TestClients.Create(handler).GetStageAsync(Request));
        Assert.Single(handler.Requests);
    }

    [Fact]
    public async Task An_already_cancelled_call_sends_nothing()
    {
        var handler = new RecordingHandler();
        using var cancellation = new CancellationTokenSource();
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => TestClients.Create(handler).GetStageAsync(Request, cancellation.Token));
        Assert.Empty(handler.Requests);
    }

    [Fact]
    public async Task Cancellation_during_a_send_is_not_retried()
    {
        using var cancellation = new CancellationTokenSource();
        var handler = new RecordingHandler().Then(async (_, token) =>
        {
            await cancellation.CancelAsync();
            token.ThrowIfCancellationRequested();
            return new HttpResponseMessage(HttpStatusCode.OK);
        });

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => TestClients.Create(handler).GetStageAsync(Request, cancellation.Token));
        Assert.Single(handler.Requests);
    }

    [Fact]
    public async Task Cancellation_during_the_backoff_stops_the_retries()
    {
        using var cancellation = new CancellationTokenSource();
        var handler = new RecordingHandler().Respond(HttpStatusCode.TooManyRequests, "");
        var client = TestClients.Create(handler, delay: async (_, token) =>
        {
            await cancellation.CancelAsync();
            await Task.Delay(Timeout.InfiniteTimeSpan, token);
        });

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.GetStageAsync(Request, cancellation.Token));
        Assert.Single(handler.Requests);
    }

    [Theory]
    [InlineData(1, 0.5, 50)]
    [InlineData(2, 0.5, 100)]
    [InlineData(3, 0.5, 200)]
    [InlineData(3, 0.0, 0)]
    [InlineData(3, 0.999, 399.6)]
    [InlineData(10, 0.5, 2500)]
    [InlineData(1000, 0.5, 2500)]
    public void Backoff_is_full_jitter_under_a_doubling_capped_ceiling(int attempt, double random, double expectedMs)
    {
        var delay = RetryPolicy.Backoff(attempt, TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(5), random);

        Assert.Equal(expectedMs, delay.TotalMilliseconds, precision: 3);
    }
}
