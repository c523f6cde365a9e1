namespace IvsServerless.Core.Stages;

/// <summary>
/// Stores that can read many stages in one request (DynamoDB's <c>BatchGetItem</c>): the event path looks up every
/// stage of a batch at once. Same answers as <see cref="IStageStore.FindAsync"/> per id.
/// </summary>
public interface IStageBatchReader
{
    /// <summary>The stages that exist (deleted ones included), by id; an id absent from the result has no stage.</summary>
    Task<IReadOnlyDictionary<string, Stage>> FindManyAsync(IReadOnlyCollection<string> stageIds, CancellationToken cancellationToken);
}
