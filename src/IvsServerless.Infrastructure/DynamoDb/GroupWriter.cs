using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;

namespace IvsServerless.Infrastructure.DynamoDb;

/// <summary>
/// Writes the field groups of one item with as few requests as order tolerance allows. The first attempt writes every
/// group under the conjunction of their guards — in the usual case (in-order, first delivery) that is one request.
/// When a guard fails, DynamoDB returns the stored item (<c>ReturnValuesOnConditionCheckFailure = ALL_OLD</c>), the
/// groups that lost are dropped (a lost guard never wins later: stored guards only move forward) and the rest are
/// written again under their own guards. Each group is thus written exactly when its own condition holds, which is
/// the per-group rule of Core/Projection/README.md, without one group's failed check dropping another's write.
/// </summary>
internal sealed class GroupWriter(IAmazonDynamoDB dynamo, DynamoDbOptions options)
{
    // Every round either writes or drops at least one group, unless a concurrent writer changed the item in between;
    // past this many rounds the contention is pathological and a retry of the whole event is the better answer.
    private const int MaxRounds = 16;

    /// <param name="constants">Attributes that never change for the item (ids, kind), set with every write.</param>
    /// <param name="requireItem">Only update an existing item (never create one).</param>
    /// <param name="returnBefore">Ask DynamoDB for the old values of a write that succeeds at once (<c>UPDATED_OLD</c>);
    /// without it such a write answers nothing.</param>
    /// <returns>
    /// What the item held before this write, for the attributes this write sets (the stored item when a guard failed,
    /// the old values DynamoDB returns otherwise when <paramref name="returnBefore"/>: no extra request); empty for a new
    /// item, when <paramref name="requireItem"/> is set and there is none, or when nothing was asked back and every guard held.
    /// </returns>
    public async Task<IReadOnlyDictionary<string, AttributeValue>> WriteAsync(
        Dictionary<string, AttributeValue> key, IReadOnlyList<KeyValuePair<string, AttributeValue>> constants,
        IReadOnlyList<FieldGroup> groups, bool requireItem, bool returnBefore, CancellationToken cancellationToken)
    {
        var pending = groups;
        Dictionary<string, AttributeValue>? before = null;
        for (var round = 1; pending.Count > 0; round++)
        {
            try
            {
                var response = await dynamo.UpdateItemAsync(Build(key, constants, pending, requireItem, returnBefore), cancellationToken);
                return before ?? response.Attributes ?? [];
            }
            catch (ConditionalCheckFailedException failed) when (round < MaxRounds)
            {
                var stored = failed.Item ?? [];
                before ??= stored;
                if (requireItem && stored.Count == 0)
                {
                    return before;
                }

                pending = [.. pending.Where(g => g.WinsAgainst(stored))];
            }
        }

        return before ?? [];
    }

    private UpdateItemRequest Build(Dictionary<string, AttributeValue> key, IReadOnlyList<KeyValuePair<string, AttributeValue>> constants,
        IReadOnlyList<FieldGroup> groups, bool requireItem, bool returnBefore)
    {
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        var values = new Dictionary<string, AttributeValue>(StringComparer.Ordinal);
        string Name(string attribute)
        {
            // Placeholders for every name: many attribute names here are DynamoDB reserved words (state, status, ...).
            var existing = names.FirstOrDefault(n => n.Value == attribute).Key;
            if (existing is not null)
            {
                return existing;
            }

            var placeholder = "#n" + names.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
            names[placeholder] = attribute;
            return placeholder;
        }

        string Value(AttributeValue value)
        {
            var placeholder = ":v" + values.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
            values[placeholder] = value;
            return placeholder;
        }

        var sets = new Dictionary<string, AttributeValue>(StringComparer.Ordinal);
        foreach (var (attribute, value) in constants.Concat(groups.SelectMany(g => g.Sets)))
        {
            sets[attribute] = value;
        }

        // DynamoDB refuses unused placeholders, so a name is only minted when it is used.
        var assignments = sets.Select(s => $"{Name(s.Key)} = {Value(s.Value)}").ToList();
        var removes = groups.SelectMany(g => g.Removes ?? []).Where(a => !sets.ContainsKey(a)).Distinct(StringComparer.Ordinal).Select(
            Name).ToList();
        var conditions = new List<string>();
        if (requireItem)
        {
            conditions.Add($"attribute_exists({Name(TableLayout.PartitionKey)})");
        }

        foreach (var group in groups)
        {
            var guard = Name(group.GuardAttribute);
            conditions.Add(group.Kind switch
            {
                GuardKind.StoredLess =>
                    $"(attribute_not_exists({guard}) OR {guard} < {Value(new AttributeValue { S = group.GuardValue })})",
                GuardKind.StoredGreater =>
                    $"(attribute_not_exists({guard}) OR {guard} > {Value(new AttributeValue { S = group.GuardValue })})",
                _ => $"attribute_not_exists({guard})",
            });
        }

        var update = "SET " + string.Join(", ", assignments);
        if (removes.Count > 0)
        {
            update += " REMOVE " + string.Join(", ", removes);
        }

        return new UpdateItemRequest
        {
            TableName = options.TableName,
            Key = key,
            UpdateExpression = update,
            ConditionExpression = string.Join(" AND ", conditions),
            ExpressionAttributeNames = names,
            ExpressionAttributeValues = values,
            ReturnValuesOnConditionCheckFailure = ReturnValuesOnConditionCheckFailure.ALL_OLD,
            ReturnValues = returnBefore ? ReturnValue.UPDATED_OLD : ReturnValue.NONE,
        };
    }
}
