using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Xunit;

namespace IvsServerless.Testing;

/// <summary>
/// Class fixture (<c>IClassFixture&lt;SharedDynamoDbLocal&gt;</c>) handing a test class the process-wide engine.
/// Disposing it leaves the engine running for the other classes; it stops when the test process exits.
/// </summary>
public class SharedDynamoDbLocal : IAsyncLifetime
{
    private DynamoDbLocal? _engine;

    public DynamoDbLocal Engine => _engine ?? throw NotInitialized();

    public virtual async Task InitializeAsync() => _engine = await DynamoDbLocal.GetSharedAsync();

    public virtual Task DisposeAsync() => Task.CompletedTask;

    private protected static InvalidOperationException NotInitialized() =>
        new("The fixture is not initialized; xunit calls InitializeAsync before the first test.");
}

/// <summary>
/// Class fixture base: one uniquely named table per test class on the process-wide engine, and a client for it.
/// Subclass it with the table's prefix and definition, then use <c>IClassFixture&lt;YourTable&gt;</c>.
/// </summary>
public abstract class DynamoDbTableFixture : SharedDynamoDbLocal
{
    private AmazonDynamoDBClient? _client;
    private string? _tableName;

    public AmazonDynamoDBClient Client => _client ?? throw NotInitialized();

    public string TableName => _tableName ?? throw NotInitialized();

    /// <summary>Start of the table name; a random suffix follows.</summary>
    protected abstract string TablePrefix { get; }

    /// <summary>The CreateTable request for the given (unique) table name.</summary>
    protected abstract CreateTableRequest DefineTable(string tableName);

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _client = Engine.CreateClient();
        _tableName = await Engine.CreateUniqueTableAsync(TablePrefix, DefineTable);
    }

    public override async Task DisposeAsync()
    {
        if (_client is null)
        {
            return;
        }

        try
        {
            // The engine outlives this class; dropping its table keeps ListTables short for the others.
            if (_tableName is not null)
            {
                await _client.DeleteTableAsync(_tableName);
            }
        }
        catch (ResourceNotFoundException)
        {
            // A test already dropped it.
        }
        finally
        {
            _client.Dispose();
        }

        await base.DisposeAsync();
    }
}
