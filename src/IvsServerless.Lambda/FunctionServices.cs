using Amazon.DynamoDBv2;
using Amazon.Runtime;
using IvsServerless.Api;
using IvsServerless.Infrastructure.DynamoDb;
using IvsServerless.IvsRealTime;

namespace IvsServerless.Lambda;

/// <summary>
/// The composition root: AWS clients and adapters built once per container (at init), shared by every
/// invocation. Only endpoints and credentials differ between AWS and the local engines.
/// </summary>
/// <param name="credentials">Null in Lambda (the SDK's default chain reads the function role); the local host passes
/// fixed dummy credentials, which the local engines accept and which spare a slow credential-chain search.</param>
public sealed class FunctionServices(FunctionConfiguration configuration, AWSCredentials? credentials = null)
{
    public static FunctionServices FromEnvironment() => new(FunctionConfiguration.From(Environment.GetEnvironmentVariable));

    public ApiHandler CreateApiHandler()
    {
        var dynamo = CreateDynamoDb();
        var table = new DynamoDbOptions { TableName = configuration.TableName };
        table.Validate();
        return new ApiHandler(
            new DynamoDbStageStore(dynamo, table),
            new DynamoDbCompositionStore(dynamo, table),
            CreateIvs(),
            new ApiOptions
            {
                DeploymentTag = configuration.DeploymentTag,
                TokenPolicy = configuration.TokenPolicy,
                CompositionStorageConfigurationArn = configuration.CompositionStorageConfigurationArn,
                CompositionEncoderConfigurationArn = configuration.CompositionEncoderConfigurationArn,
            });
    }

    private AmazonDynamoDBClient CreateDynamoDb()
    {
        var config = new AmazonDynamoDBConfig();
        if (configuration.DynamoDbEndpoint is { } endpoint)
        {
            config.ServiceURL = endpoint.ToString();
            config.AuthenticationRegion = configuration.Region;
        }
        else
        {
            config.RegionEndpoint = Amazon.RegionEndpoint.GetBySystemName(configuration.Region);
        }

        return credentials is null ? new AmazonDynamoDBClient(config) : new AmazonDynamoDBClient(credentials, config);
    }

    private IvsRealTimeClient CreateIvs()
    {
        var options = new IvsRealTimeClientOptions { Region = configuration.Region, ServiceUrl = configuration.IvsEndpoint?.ToString().TrimEnd('/') };
        options.Validate();

        // Redirects would replay a signed request to another host: never follow them.
        var http = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, PooledConnectionLifetime = TimeSpan.FromMinutes(5) });
        return new IvsRealTimeClient(http, options, credentials);
    }
}
