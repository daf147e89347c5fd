using System.Diagnostics;
using System.Text;
using SseFlights.Tests.Support;

namespace SseFlights.Tests.Readme;

/// <summary>
/// One bash reading README's lines one at a time, as a reader types them into one terminal: a job
/// started with &amp; is still there for the next line's <c>%1</c>.
/// </summary>
internal sealed class ReadmeShell : IAsyncDisposable
{
    private readonly Process _bash;
    private readonly StringBuilder _output = new();
    private readonly Func<string, string> _local;
    private int _marks;

    public ReadmeShell(ProcessStartInfo bash, Func<string, string> local)
    {
        bash.RedirectStandardInput = true;
        _local = local;
        _bash = Process.Start(bash)!;
        _bash.OutputDataReceived += (_, e) => Append(e.Data);
        _bash.ErrorDataReceived += (_, e) => Append(e.Data);
        _bash.BeginOutputReadLine();
        _bash.BeginErrorReadLine();
    }

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>Types <paramref name="line"/> (its ports made local) and returns at once.</summary>
    public Task TypeAsync(string line) => _bash.StandardInput.WriteLineAsync(_local(line));

    /// <summary>Types <paramref name="line"/> and waits until it has ended; returns its exit status.</summary>
    public async Task<int> RunAsync(string line, TimeSpan timeout)
    {
        string mark = $"__readme_line_{++_marks}_ended_with";
        await TypeAsync(line);
        await _bash.StandardInput.WriteLineAsync($"echo \"{mark} $?\"");
        await Eventually.TrueAsync(() => Output.Contains(mark, StringComparison.Ordinal), timeout, $"README's line to end: {line}");
        string after = Output[(Output.IndexOf(mark, StringComparison.Ordinal) + mark.Length + 1)..];
        return int.Parse(after[..after.IndexOf('\n')]);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_bash.HasExited)
        {
            _bash.Kill(entireProcessTree: true);
            await _bash.WaitForExitAsync();
        }

        _bash.Dispose();
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (_output)
            {
                _output.AppendLine(line);
            }
        }
    }
}
