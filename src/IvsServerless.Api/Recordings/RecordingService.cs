using IvsServerless.Api.Errors;
using IvsServerless.Api.Stages;
using IvsServerless.Core.Compositions;
using IvsServerless.Core.Projection;
using IvsServerless.Core.Recordings;
using IvsServerless.Core.Sessions;

namespace IvsServerless.Api.Recordings;

/// <summary>Playback of a finished recording: its playlist URL for players and presigned thumbnails, valid until
/// <see cref="ExpiresAt"/>.</summary>
public sealed record RecordingPlayback(Uri PlaylistUrl, IReadOnlyList<Uri> ThumbnailUrls, DateTimeOffset ExpiresAt);

/// <summary>
/// Playback and deletion of recordings, participants' and compositions' (<c>docs/recordings.md</c>). The playback URL is
/// the playlist route with a presigned S3 GET of the multivariant playlist as its query: S3 checks that signature when the
/// route reads the playlist, so no secret of ours is involved and a tampered or expired URL is S3's 403. Each playlist comes
/// back with its renditions pointing at the route again (freshly presigned) and its segments presigned, all expiring when
/// the URL the player started from does.
/// </summary>
/// <param name="bucketOf">The bucket of a storage configuration, null when unknown (<see cref="ApiOptions.BucketOf"/>).</param>
/// <param name="bucketName">The bucket <paramref name="objects"/> reaches.</param>
public sealed class RecordingService(
    StageAccess access, ISessionHistory? history, ICompositionStore compositions, IRecordingObjects? objects,
    Func<string, string?> bucketOf, string? bucketName, TimeSpan playbackLifetime, TimeProvider time)
{
    /// <summary>Thumbnails listed per recording (IVS writes one per interval; the first ones are enough for a preview).</summary>
    public const int MaxThumbnails = 10;

    public const string MultivariantPlaylist = "media/hls/multivariant.m3u8";
    public const string ThumbnailsFolder = "media/thumbnails/";

    /// <summary>
    /// Playback of the finished recordings whose objects are in our bucket, by recording id; those whose objects are gone
    /// (deleted) are in <c>Deleted</c>. Nothing when no bucket is configured.
    /// </summary>
    public async Task<(IReadOnlyDictionary<string, RecordingPlayback> Playback, IReadOnlySet<string> Deleted)> PlaybackAsync(
        IReadOnlyList<SessionRecording> recordings, Uri apiBase, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(recordings);
        var playback = new Dictionary<string, RecordingPlayback>(StringComparer.Ordinal);
        var deleted = new HashSet<string>(StringComparer.Ordinal);
        if (objects is null)
        {
            return (playback, deleted);
        }

        var expiresAt = time.GetUtcNow() + playbackLifetime;
        var finished = recordings.Where(r => r.State == RecordingState.Stopped && Prefix(r) is not null).ToList();
        var results = await Task.WhenAll(finished.Select(async r =>
        {
            var prefix = Prefix(r)!;
            var any = ListAsync(prefix, 1, ct);
            var thumbnails = ListAsync(prefix + ThumbnailsFolder, 1000, ct);
            if ((await any).Count == 0)
            {
                return (r.RecordingId, (RecordingPlayback?)null);
            }

            var firstThumbnails = (await thumbnails).OrderBy(k => k.Length).ThenBy(k => k, StringComparer.Ordinal).Take(MaxThumbnails);
            var thumbnailUrls = await Task.WhenAll(firstThumbnails.Select(k => objects.PresignGetAsync(k, expiresAt, ct)));
            var playlist = await PlaylistUrlAsync(apiBase, prefix + MultivariantPlaylist, expiresAt, ct);
            return (r.RecordingId, new RecordingPlayback(playlist, thumbnailUrls, expiresAt));
        }));
        foreach (var (id, p) in results)
        {
            if (p is null)
            {
                deleted.Add(id);
            }
            else
            {
                playback[id] = p;
            }
        }

        return (playback, deleted);
    }

    /// <summary>The playlist behind a playback URL, rewritten for players (see the class summary).</summary>
    public async Task<string> PlaylistAsync(IReadOnlyDictionary<string, string> query, Uri apiBase, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(query);
        var store = objects ?? throw NotConfigured();
        if (!query.TryGetValue("key", out var key) || key.Length is 0 or > 1024 || !HlsPlaylist.IsPlaylistKey(key))
        {
            throw RequestValidationException.Field("key", "The object key of an HLS playlist (.m3u8) of a recording.");
        }

        var signature = query.Where(p => p.Key != "key").ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
        var read = await Guard(() => store.ReadSignedAsync(key, signature, ct));
        switch (read.Status)
        {
            case SignedReadStatus.Rejected:
                throw new ForbiddenException(
                    "playback-url-rejected", "The playback URL is expired or altered; list the recordings again for a fresh one.");
            case SignedReadStatus.NotFound:
                throw new NotFoundException("recording-not-found", "The recording's playlist does not exist (deleted?).");
        }

        // Nothing derived from the URL outlives it.
        var expiresAt = read.ExpiresAt ?? time.GetUtcNow() + playbackLifetime;
        return await HlsPlaylist.RewriteAsync(read.Text ?? "", key, async k => HlsPlaylist.IsPlaylistKey(k)
            ? (await PlaylistUrlAsync(apiBase, k, expiresAt, ct)).AbsoluteUri
            : (await store.PresignGetAsync(k, expiresAt, ct)).AbsoluteUri);
    }

    /// <summary>
    /// The owner deletes a recording's objects; the recording then no longer lists. A failure leaves the rest listed and is a
    /// 502 saying so (retrying finishes the deletion). Deleting an already deleted recording succeeds.
    /// </summary>
    public async Task DeleteAsync(string userId, string stageId, string recordingId, CancellationToken ct)
    {
        var stage = await access.FindOwnedAsync(userId, stageId, ct);
        var store = objects ?? throw NotConfigured();
        var sessions = history ?? throw new ServiceUnavailableException(
            "session-history-unavailable", "Session history is not configured in this deployment.");
        var sessionId = recordingId.Split('~')[0];
        var session = await sessions.FindSessionAsync(stageId, sessionId, ct);
        var recording = session is null
            ? null
            : SessionRecordings.Of(
                    session, await compositions.ListForStageAsync(stageId, ct), bucketOf, live: stage.ActiveSessionId == sessionId)
                .FirstOrDefault(r => r.RecordingId == recordingId);
        if (recording is null)
        {
            throw new NotFoundException("recording-not-found", "The stage has no such recording.");
        }

        if (recording.State == RecordingState.Active)
        {
            throw new StateConflictException(
                "recording-active", "The recording is still going on; delete it once it has ended.");
        }

        if (Prefix(recording) is not { } prefix)
        {
            // IVS wrote nothing this deployment can reach (a failed start, or another bucket): nothing to delete here.
            return;
        }

        try
        {
            await store.DeletePrefixAsync(prefix, ct);
        }
        catch (RecordingObjectsException e)
        {
            throw new UpstreamFailureException("recording-delete-failed",
                "Not every object of the recording could be deleted, so it is still listed; retry the DELETE. " + e.Message);
        }
    }

    /// <summary>The recording's key prefix with a trailing '/', when IVS wrote it into our bucket.</summary>
    private string? Prefix(SessionRecording r) =>
        r.S3KeyPrefix is { Length: > 0 } prefix && r.S3BucketName == bucketName ? prefix.TrimEnd('/') + "/" : null;

    private async Task<Uri> PlaylistUrlAsync(Uri apiBase, string key, DateTimeOffset expiresAt, CancellationToken ct)
    {
        var presigned = await objects!.PresignGetAsync(key, expiresAt, ct);
        var route = new Uri(apiBase, "recordings/playlist").AbsoluteUri;
        return new Uri($"{route}?key={Uri.EscapeDataString(key)}&{presigned.Query.TrimStart('?')}");
    }

    private async Task<IReadOnlyList<string>> ListAsync(string prefix, int max, CancellationToken ct) =>
        await Guard(() => objects!.ListKeysAsync(prefix, max, ct));

    private static async Task<T> Guard<T>(Func<Task<T>> call)
    {
        try
        {
            return await call();
        }
        catch (RecordingObjectsException e)
        {
            throw new UpstreamFailureException("recordings-storage-failed", "The recordings bucket failed; try again. " + e.Message);
        }
    }

    private static ServiceUnavailableException NotConfigured() =>
        new("recordings-not-configured", "This deployment has no recordings bucket.");
}
