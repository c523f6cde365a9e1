namespace IvsServerless.Core.Stages;

/// <summary>Tags this backend puts on the IVS resources it creates (stages, compositions, public keys).</summary>
public static class StageTags
{
    /// <summary>The user who created the stage.</summary>
    public const string Owner = "ivs-serverless:owner";

    /// <summary>The deployment that created the stage: sweeps only ever touch their own deployment's stages.</summary>
    public const string ManagedBy = "ivs-serverless:managed-by";

    /// <summary>Set by the reconciler on a stage of this deployment that has no stage item (a failed create): when it first saw it
    /// so.</summary>
    public const string OrphanSince = "ivs-serverless:orphan-since";
}
