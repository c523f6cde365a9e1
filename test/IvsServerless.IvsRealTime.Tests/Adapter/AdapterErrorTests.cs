using System.Net;
using IvsServerless.Core.Ivs;
using IvsServerless.IvsRealTime.Adapter;

namespace IvsServerless.IvsRealTime.Tests.Adapter;

/// <summary>How IVS refusals cross the ports: the client's typed exception becomes the domain's, keeping code and request id.</summary>
public sealed class AdapterErrorTests
{
    public static TheoryData<int, string, Type> Refusals() => new()
    {
        { 404, "ResourceNotFoundException", typeof(IvsResourceNotFoundException) },
        { 429, "ThrottlingException", typeof(IvsThrottledException) },
        { 402, "ServiceQuotaExceededException", typeof(IvsQuotaExceededException) },
        { 400, "ValidationException", typeof(IvsInvalidRequestException) },
        { 409, "ConflictException", typeof(IvsConflictException) },
        { 403, "AccessDeniedException", typeof(IvsServiceException) },
        { 403, "PendingVerification", typeof(IvsServiceException) },
        { 500, "InternalServerException", typeof(IvsServiceException) },
        { 418, "SomethingNewException", typeof(IvsServiceException) },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task Each_IVS_refusal_becomes_its_domain_exception(int status, string errorType, Type expected)
    {
        var handler = new RecordingHandler().Respond((HttpStatusCode)status, """{"message":"IVS says no"}""",
            ("x-amzn-ErrorType", errorType), ("x-amzn-RequestId", "6f1c-request"));
        var ivs = new IvsRealTimeAdapter(TestClients.Create(handler, TestClients.Options(maxAttempts: 1)));

        var error = await Assert.ThrowsAnyAsync<IvsServiceException>(() => ivs.GetStageAsync(TestClients.StageArn, default));

        Assert.IsType(expected, error);
        Assert.Equal(errorType, error.ErrorCode);
        Assert.Equal("6f1c-request", error.RequestId);
        Assert.Equal("IVS says no", error.Message);
        Assert.IsAssignableFrom<IvsRealTimeException>(error.InnerException);
    }

    public static TheoryData<string> Operations() => [.. Calls.Keys];

    private static readonly Dictionary<string, Func<IvsRealTimeAdapter, Task>> Calls = new()
    {
        ["CreateStage"] = ivs => ivs.CreateStageAsync("s", new Dictionary<string, string>(), null, default),
        ["RenameStage"] = ivs => ivs.RenameStageAsync(TestClients.StageArn, "s", default),
        ["DeleteStageIfExists"] = ivs => ivs.DeleteStageIfExistsAsync(TestClients.StageArn, default),
        ["ListStages"] = ivs => ivs.ListStagesAsync(null, 10, default),
        ["TagStage"] = ivs => ivs.TagStageAsync(TestClients.StageArn, new Dictionary<string, string> { ["k"] = "v" }, default),
        ["ListStageSessions"] = ivs => ivs.ListStageSessionsAsync(TestClients.StageArn, null, default),
        ["ListParticipants"] = ivs => ivs.ListParticipantsAsync(TestClients.StageArn, "st-1", null, default),
        ["ListParticipantEvents"] = ivs => ivs.ListParticipantEventsAsync(TestClients.StageArn, "st-1", "p-1", null, default),
        ["Disconnect"] = ivs => ivs.DisconnectAsync(TestClients.StageArn, "p-1", null, default),
        ["CreateParticipantToken"] = ivs => ivs.CreateParticipantTokenAsync(TestClients.StageArn,
            new Core.Tokens.TokenGrant(
                "u", Core.Tokens.ParticipantCapabilities.Subscribe, TimeSpan.FromMinutes(5), new Dictionary<string, string>()), default),
        ["StartComposition"] = ivs =>
            ivs.StartAsync(new CompositionStart(TestClients.StageArn, "t", new CompositionDestinations("e", "s", null),
            new Dictionary<string, string>()), default),
        ["StopComposition"] = ivs => ivs.StopAsync("arn:aws:ivs:us-east-1:123456789012:composition/abcd", default),
        ["ImportPublicKey"] = ivs => ivs.ImportPublicKeyAsync("k", "pem", new Dictionary<string, string>(), default),
        ["ListPublicKeys"] = ivs => ivs.ListPublicKeysAsync(default),
        ["DeletePublicKeyIfExists"] = ivs =>
            ivs.DeletePublicKeyIfExistsAsync("arn:aws:ivs:us-east-1:123456789012:public-key/abcd", default),
    };

    [Theory]
    [MemberData(nameof(Operations))]
    public async Task Every_operation_translates_refusals(string operation)
    {
        var handler = new RecordingHandler().Respond(HttpStatusCode.PaymentRequired, """{"message":"quota"}""",
            ("x-amzn-ErrorType", "ServiceQuotaExceededException"));
        var ivs = new IvsRealTimeAdapter(TestClients.Create(handler, TestClients.Options(maxAttempts: 1)));

        await Assert.ThrowsAsync<IvsQuotaExceededException>(() => Calls[operation](ivs));
    }

    [Fact]
    public async Task Network_failures_and_cancellation_cross_unchanged()
    {
        var unreachable = new IvsRealTimeAdapter(TestClients.Create(new RecordingHandler().Throw(new HttpRequestException("refused")),
            TestClients.Options(maxAttempts: 1)));
        await Assert.ThrowsAsync<HttpRequestException>(() => unreachable.GetStageAsync(TestClients.StageArn, default));

        var ivs = new IvsRealTimeAdapter(TestClients.Create(new RecordingHandler().Respond("{}")));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => ivs.GetStageAsync(TestClients.StageArn, new CancellationToken(canceled: true)));
    }

    [Fact]
    public async Task Gone_is_success_for_the_if_exists_deletes_and_false_says_so()
    {
        var handler = new RecordingHandler()
            .Respond(HttpStatusCode.NotFound, """{"message":"gone"}""", ("x-amzn-ErrorType", "ResourceNotFoundException"))
            .Respond(HttpStatusCode.NotFound, """{"message":"gone"}""", ("x-amzn-ErrorType", "ResourceNotFoundException"));
        var ivs = new IvsRealTimeAdapter(TestClients.Create(handler, TestClients.Options(maxAttempts: 1)));

        Assert.False(await ivs.DeleteStageIfExistsAsync(TestClients.StageArn, default));
        Assert.False(await ivs.DeletePublicKeyIfExistsAsync("arn:aws:ivs:us-east-1:123456789012:public-key/abcd", default));
    }

    [Fact]
    public async Task A_stage_without_both_endpoints_has_none_and_a_missing_stage_in_the_answer_reads_as_idle()
    {
        var handler = new RecordingHandler()
            .Respond(
                """{"stage":{"arn":"arn:aws:ivs:us-east-1:123456789012:stage/abcdEFGH1234","activeSessionId":"st-1","endpoints":{"event"""
                + """s":"wss://e","whip":""}}}""")
            .Respond(
                """{"stage":{"arn":"arn:aws:ivs:us-east-1:123456789012:stage/abcdEFGH1234","endpoints":{"events":"wss://e","whip":"https:"""
                + """//w"}}}""")
            .Respond("{}");
        var ivs = new IvsRealTimeAdapter(TestClients.Create(handler));

        Assert.Equal(new IvsStage(TestClients.StageArn, "st-1", null), await ivs.GetStageAsync(TestClients.StageArn, default));
        Assert.Equal(
            new Core.Stages.StageEndpoints("wss://e", "https://w"), (await ivs.GetStageAsync(TestClients.StageArn, default)).Endpoints);
        Assert.Equal(new IvsStage(TestClients.StageArn), await ivs.GetStageAsync(TestClients.StageArn, default));
    }
}
