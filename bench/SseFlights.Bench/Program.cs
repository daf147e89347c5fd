using System.CommandLine;
using System.Runtime.InteropServices;
using SseFlights.Bench.Cli;
using SseFlights.Bench.Target;

// Socket reads complete on the epoll threads instead of hopping to the thread pool: the receive
// loops only parse and count, and this cuts the generator's CPU per read by about a quarter.
// Set before the first socket exists; started servers do not inherit it (see ServerProcess).
Environment.SetEnvironmentVariable(ServerProcess.InlineCompletionsVariable, "1");

// The composition root: SIGINT and SIGTERM cancel the run so it still stops the server it started
// (System.CommandLine's own termination handling would end the process before that cleanup).
using var stopping = new CancellationTokenSource();
using PosixSignalRegistration onTerm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
using PosixSignalRegistration onInt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);

RootCommand root = RunCommand.Create(stopping.Token);
root.Subcommands.Add(ScenariosCommand.Create());
root.Subcommands.Add(ReportCommand.Create());
root.Subcommands.Add(FramesCommand.Create());
root.Subcommands.Add(LiveCommand.Create(stopping.Token));
return await root.Parse(args).InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null });

void Stop(PosixSignalContext context)
{
    context.Cancel = true;
    stopping.Cancel();
}
