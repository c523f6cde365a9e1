using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;

namespace IvsServerless.Local;

/// <summary>
/// A lock shared by every process on the machine: the local host and test assemblies run as parallel processes,
/// and one-time installs (<c>npm ci</c> deletes node_modules first; apt-get takes the dpkg lock) must run one at a time.
/// </summary>
public static class CrossProcessLock
{
    private static readonly TimeSpan RetryEvery = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// Waits until no other process holds the lock named <paramref name="name"/> for <paramref name="scope"/>
    /// (for example a folder, so that two clones do not wait on each other), then holds it until disposed.
    /// The lock file lives in the temp folder (nothing to ignore in the repository) and the OS releases it if the
    /// holder dies.
    /// </summary>
    /// <exception cref="TimeoutException">Another process kept the lock longer than <paramref name="timeout"/>.</exception>
    public static async Task<IDisposable> AcquireAsync(
        string name, string scope, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var key = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(scope)))[..16];
        var path = Path.Combine(Path.GetTempPath(), $"ivs-serverless-{name}-{key}.lock");
        var clock = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (clock.Elapsed < timeout)
            {
                await Task.Delay(RetryEvery, cancellationToken);
            }
            catch (IOException e)
            {
                throw new TimeoutException($"Another process held {path} for more than {timeout.TotalSeconds:0} s.", e);
            }
        }
    }
}
