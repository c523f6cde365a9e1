using Amazon.DynamoDBv2;
using IvsServerless.Api;
using IvsServerless.EventHandlers;
using IvsServerless.Infrastructure.DynamoDb;
using IvsServerless.IvsRealTime;

namespace IvsServerless.Lambda;

/// <summary>
/// The composition root: AWS clients and adapters built once per container (at init), shared by every
/// invocation. Only endpoints and credentials differ between AWS and the local engines.
/// </summary>
public sealed class FunctionServices(FunctionConfiguration configuration)
{
    public static FunctionServices FromEnvironment() => From(Environment.GetEnvironmentVariable);

    public static FunctionServices From(Func<string, string?> environment) => new(FunctionConfiguration.From(environment));

    public IvsEventsHandler CreateIvsEventsHandler()
    {
        var dynamo = CreateDynamoDb();
        var table = Table();
        return new IvsEventsHandler(new IvsEventService(
            new DynamoDbProjectionStore(dynamo, table),
            new DynamoDbStageStore(dynamo, table),
            new DynamoDbCompositionStore(dynamo, table),
            new DynamoDbRejectedEventStore(dynamo, table)));
    }

    public ApiHandler CreateApiHandler()
    {
        var dynamo = CreateDynamoDb();
        var table = Table();
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
            },
            sessions: new DynamoDbSessionHistory(dynamo, table));
    }

    private DynamoDbOptions Table()
    {
        var table = new DynamoDbOptions { TableName = configuration.TableName };
        table.Validate();
        return table;
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

        return new AmazonDynamoDBClient(config);
    }

    private IvsRealTimeClient CreateIvs()
    {
        var options = new IvsRealTimeClientOptions { Region = configuration.Region, ServiceUrl = configuration.IvsEndpoint?.ToString().TrimEnd('/') };
        options.Validate();

        // Redirects would replay a signed request to another host: never follow them.
        var http = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, PooledConnectionLifetime = TimeSpan.FromMinutes(5) });
        return new IvsRealTimeClient(http, options);
    }
}
