using System.Net;

namespace IvsServerless.IvsRealTime.Tests;

public sealed class ErrorMappingTests
{
    public static TheoryData<int, string?, string?, Type, string, string> Errors() => new()
    {
        // status, x-amzn-ErrorType, body, exception, ErrorType, Message
        {
            400, "ValidationException", """{"exceptionMessage":"name is invalid","message":"name is invalid"}""",
            typeof(ValidationException), "ValidationException", "name is invalid" },
        {
            402, "ServiceQuotaExceededException", """{"exceptionMessage":"too many stages"}""", typeof(ServiceQuotaExceededException),
            "ServiceQuotaExceededException", "too many stages" },
        {
            403, "AccessDeniedException", """{"message":"not allowed"}""", typeof(AccessDeniedException), "AccessDeniedException",
            "not allowed" },
        {
            403, "PendingVerification", """{"exceptionMessage":"verify first"}""", typeof(PendingVerificationException),
            "PendingVerification", "verify first" },
        {
            404, "ResourceNotFoundException:http://internal.amazon.com/coral/com.amazonaws.ivsrealtime/",
            """{"exceptionMessage":"Stage not found"}""", typeof(ResourceNotFoundException), "ResourceNotFoundException",
            "Stage not found" },
        { 409, "ConflictException", """{"exceptionMessage":"in use"}""", typeof(ConflictException), "ConflictException", "in use" },
        {
            500, "InternalServerException", """{"exceptionMessage":"oops"}""", typeof(InternalServerException), "InternalServerException",
            "oops" },
        { 429, null, "", typeof(ThrottlingException), "Unknown", "IVS Real-Time returned HTTP 429 with no error type." },
        {
            400, "ThrottlingException", """{"message":"Rate exceeded"}""", typeof(ThrottlingException), "ThrottlingException",
            "Rate exceeded" },
        {
            400, "TooManyRequestsException", "{}", typeof(ThrottlingException), "TooManyRequestsException",
            "IVS Real-Time returned HTTP 400 TooManyRequestsException." },

        // No header: body __type, then code; cleaned like the SDKs.
        {
            400, null, """{"__type":"com.amazonaws.ivsrealtime#ValidationException","Message":"bad"}""", typeof(ValidationException),
            "ValidationException", "bad" },
        {
            404, null, """{"code":"ResourceNotFoundException","exceptionMessage":"gone"}""", typeof(ResourceNotFoundException),
            "ResourceNotFoundException", "gone" },

        // The header wins over the body, and the type over the status.
        {
            400, "ConflictException", """{"__type":"ValidationException","exceptionMessage":"x"}""", typeof(ConflictException),
            "ConflictException", "x" },
        { 500, "ValidationException", """{"exceptionMessage":"odd"}""", typeof(ValidationException), "ValidationException", "odd" },

        // Anything else is the base type, keeping what IVS said.
        { 418, "SomethingNewException", """{"message":"new"}""", typeof(IvsRealTimeException), "SomethingNewException", "new" },
        {
            502, null, "<html>Bad Gateway</html>", typeof(IvsRealTimeException), "Unknown",
            "IVS Real-Time returned HTTP 502 with no error type." },
    };

    [Theory]
    [MemberData(nameof(Errors))]
    public async Task Non_2xx_responses_become_typed_exceptions(
        int status, string? errorTypeHeader, string? body, Type exceptionType, string errorType, string message)
    {
        var headers = errorTypeHeader is null ? [] : new[] { ("x-amzn-ErrorType", errorTypeHeader) };
        var handler = new RecordingHandler().Respond((HttpStatusCode)status, body, [.. headers, ("x-amzn-RequestId", "6f1c-request")]);
        var client = TestClients.Create(handler, TestClients.Options(maxAttempts: 1));

        var error = await Assert.ThrowsAnyAsync<IvsRealTimeException>(
            () => client.GetStageAsync(new GetStageRequest { Arn = TestClients.StageArn }));

        Assert.IsType(exceptionType, error);
        Assert.Equal(errorType, error.ErrorType);
        Assert.Equal((HttpStatusCode)status, error.StatusCode);
        Assert.Equal("6f1c-request", error.RequestId);
        Assert.Equal(message, error.Message);
    }

    [Theory]
    [InlineData("ValidationException", "ValidationException")]
    [InlineData("com.amazonaws.ivsrealtime#ConflictException", "ConflictException")]
    [InlineData("ResourceNotFoundException:http://internal.amazon.com/coral/", "ResourceNotFoundException")]
    [InlineData("com.amazonaws.ivsrealtime#ValidationException:http://x,extra", "ValidationException")]
    [InlineData("AccessDeniedException,Other", "AccessDeniedException")]
    [InlineData(" ThrottlingException ", "ThrottlingException")]
    public void Error_types_are_cleaned_like_the_sdks(string raw, string expected) =>
        Assert.Equal(expected, ErrorResponseParser.CleanErrorType(raw));

    [Fact]
    public void Every_modeled_error_derives_from_the_base_and_keeps_the_standard_constructors()
    {
        Type[] modeled =
        [
            typeof(ValidationException), typeof(ResourceNotFoundException), typeof(ConflictException),
                typeof(ServiceQuotaExceededException),
            typeof(AccessDeniedException), typeof(PendingVerificationException), typeof(InternalServerException),
                typeof(ThrottlingException),
        ];

        Assert.All(modeled, type =>
        {
            Assert.True(type.IsSubclassOf(typeof(IvsRealTimeException)));
            var error = (IvsRealTimeException)Activator.CreateInstance(type, "m", new InvalidOperationException("inner"))!;
            Assert.Equal("m", error.Message);
            Assert.IsType<InvalidOperationException>(error.InnerException);
        });
    }
}
