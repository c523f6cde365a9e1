namespace IvsServerless.Local;

/// <summary>
/// The last lines a child process printed (its stdout and stderr arrive on two threads), kept so that a start-up failure
/// can say what the engine said rather than only its exit code.
/// </summary>
public sealed class OutputTail(string name, int lines = 50)
{
    private readonly Queue<string> _lines = new();

    public void Add(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_lines)
        {
            _lines.Enqueue(line);
            if (_lines.Count > lines)
            {
                _lines.Dequeue();
            }
        }
    }

    public override string ToString()
    {
        lock (_lines)
        {
            return $"--- {name} output ---\n" + string.Join('\n', _lines);
        }
    }
}
