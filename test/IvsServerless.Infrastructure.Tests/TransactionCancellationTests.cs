using System.Reflection;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using IvsServerless.Core.Compositions;
using IvsServerless.Infrastructure.DynamoDb;

namespace IvsServerless.Infrastructure.Tests;

/// <summary>
/// Cancellation reasons DynamoDB Local rarely produces on demand (races, throttling), scripted through a
/// stand-in client so each branch of the mapping is pinned down.
/// </summary>
public sealed class TransactionCancellationTests
{
    private static readonly Composition Composition = new("arn:aws:ivs:us-east-1:123456789012:composition/abcdefabcdef",
        "stage1", "user-1", "key-1", "STARTING", DateTimeOffset.UtcNow);

    [Fact]
    public async Task A_transaction_conflict_is_retried_until_the_claim_decides()
    {
        var client = ScriptedClient.Create(Cancelled("None", "TransactionConflict"), Cancelled("None", "TransactionConflict"), null);

        await Store(client).AddAsync(Composition, default);

        Assert.Equal(3, ((ScriptedClient)(object)client).Calls);
    }

    [Fact]
    public async Task A_claim_that_exists_is_a_conflict()
    {
        var client = ScriptedClient.Create(Cancelled("None", "ConditionalCheckFailed"));
        await Assert.ThrowsAsync<CompositionConflictException>(() => Store(client).AddAsync(Composition, default));
    }

    [Fact]
    public async Task Throttling_inside_a_transaction_propagates()
    {
        var client = ScriptedClient.Create(Cancelled("ThrottlingError", "None"));
        var thrown = await Assert.ThrowsAsync<TransactionCanceledException>(() => Store(client).AddAsync(Composition, default));
        Assert.Equal("ThrottlingError", thrown.CancellationReasons[0].Code);
    }

    [Fact]
    public async Task Endless_transaction_conflicts_eventually_propagate()
    {
        var client = ScriptedClient.Create(Enumerable.Repeat<Exception?>(Cancelled("TransactionConflict", "None"), 20).ToArray());
        await Assert.ThrowsAsync<TransactionCanceledException>(() => Store(client).AddAsync(Composition, default));
    }

    private static DynamoDbCompositionStore Store(IAmazonDynamoDB client) => new(client, new DynamoDbOptions { TableName = "items" });

    private static TransactionCanceledException Cancelled(params string[] codes) => new("cancelled")
    {
        CancellationReasons = codes.Select(code => new CancellationReason { Code = code }).ToList(),
    };

    /// <summary>Answers TransactWriteItems with the next scripted outcome (null = success); nothing else is expected.</summary>
    public class ScriptedClient : DispatchProxy
    {
        private Queue<Exception?> _outcomes = new();

        public int Calls { get; private set; }

        public static IAmazonDynamoDB Create(params Exception?[] outcomes)
        {
            var client = Create<IAmazonDynamoDB, ScriptedClient>();
            ((ScriptedClient)(object)client)._outcomes = new Queue<Exception?>(outcomes);
            return client;
        }

        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
        {
            if (targetMethod?.Name != nameof(IAmazonDynamoDB.TransactWriteItemsAsync))
            {
                throw new NotSupportedException(targetMethod?.Name);
            }

            Calls++;
            var outcome = _outcomes.Dequeue();
            return outcome is null ? Task.FromResult(new TransactWriteItemsResponse()) : Task.FromException<TransactWriteItemsResponse>(
                outcome);
        }
    }
}
