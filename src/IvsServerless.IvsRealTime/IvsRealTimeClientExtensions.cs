namespace IvsServerless.IvsRealTime;

public static class IvsRealTimeClientExtensions
{
    /// <summary>Deletes the stage; one that is already gone is success (deletes are retried). False when it was gone.</summary>
    public static async Task<bool> DeleteStageIfExistsAsync(
        this IIvsRealTimeClient ivs, string stageArn, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ivs);
        try
        {
            await ivs.DeleteStageAsync(new DeleteStageRequest { Arn = stageArn }, cancellationToken);
            return true;
        }
        catch (ResourceNotFoundException)
        {
            return false;
        }
    }
}
