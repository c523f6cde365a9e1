using System.Net;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Amazon.Runtime;
using Amazon.Runtime.Internal;
using IvsServerless.Core.Storage;

namespace IvsServerless.Infrastructure.DynamoDb;

/// <summary>
/// A DynamoDB client whose failures to serve — throttling or a 5xx that outlived the SDK's own retries — come out
/// as Core's <see cref="StoreUnavailableException"/>, so the API can answer 503 with <c>Retry-After</c> without
/// referencing the SDK; a connection that failed after the retries comes out as <see cref="StoreUnreachableException"/>.
/// Everything else (conditional failures, validation, a missing table) passes through as is.
/// </summary>
public sealed class FaultTranslatingDynamoDbClient : AmazonDynamoDBClient
{
    public FaultTranslatingDynamoDbClient(AmazonDynamoDBConfig config) : base(config)
    {
    }

    public FaultTranslatingDynamoDbClient(AWSCredentials credentials, AmazonDynamoDBConfig config) : base(credentials, config)
    {
    }

    protected override void CustomizeRuntimePipeline(RuntimePipeline pipeline)
    {
        ArgumentNullException.ThrowIfNull(pipeline);
        base.CustomizeRuntimePipeline(pipeline);

        // AddHandler puts it outermost: it sees only what is left after the retry handler gave up.
        pipeline.AddHandler(new TranslateUnavailable());
    }

    private sealed class TranslateUnavailable : PipelineHandler
    {
        public override async Task<T> InvokeAsync<T>(IExecutionContext executionContext)
        {
            try
            {
                return await base.InvokeAsync<T>(executionContext);
            }
            catch (AmazonServiceException e) when (DynamoDbFaults.IsUnavailable(e))
            {
                throw DynamoDbFaults.Translate(e);
            }
            catch (Exception e) when (DynamoDbFaults.IsUnreachable(e))
            {
                throw new StoreUnreachableException("DynamoDB could not be reached after retries.", e);
            }
        }
    }
}

/// <summary>Which DynamoDB errors mean "the table cannot serve now, try again shortly".</summary>
public static class DynamoDbFaults
{
    private static readonly HashSet<string> ThrottlingCodes = new(StringComparer.Ordinal)
    {
        "ProvisionedThroughputExceededException", "ThrottlingException", "RequestLimitExceeded", "Throttling",
        "InternalServerError", "InternalServerErrorException", "ServiceUnavailable", "ServiceUnavailableException",
    };

    public static bool IsUnavailable(AmazonServiceException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return exception is ProvisionedThroughputExceededException or RequestLimitExceededException or InternalServerErrorException
            || (exception.ErrorCode is { } code && ThrottlingCodes.Contains(code))
            || (int)exception.StatusCode >= 500
            || exception.StatusCode == HttpStatusCode.TooManyRequests;
    }

    /// <summary>The connection failed (refused, reset, dropped before an answer), bare or wrapped by the SDK.</summary>
    public static bool IsUnreachable(Exception exception) => exception switch
    {
        HttpRequestException or IOException or System.Net.Sockets.SocketException => true,
        AmazonServiceException { InnerException: HttpRequestException or IOException or System.Net.Sockets.SocketException } => true,
        _ => false,
    };

    public static StoreUnavailableException Translate(AmazonServiceException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var code = exception.ErrorCode ?? ((int)exception.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture);
        return new StoreUnavailableException($"DynamoDB could not serve the request after retries ({code}).", code, exception);
    }
}
