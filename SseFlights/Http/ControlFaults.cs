using SseFlights.Scenario;

namespace SseFlights.Http;

/// <summary>
/// The fault the control API set: the next requests for <c>/events</c> get its answer instead of a
/// stream, taken one request at a time (the accept loop serves requests concurrently).
/// </summary>
internal sealed class ControlFaults
{
    private readonly Lock _gate = new();
    private ResponseRule? _rule;
    private int _left;

    /// <summary>The next <paramref name="count"/> requests get <paramref name="rule"/>'s answer.</summary>
    public void Set(ResponseRule rule, int count)
    {
        lock (_gate)
        {
            (_rule, _left) = (rule, count);
        }
    }

    /// <summary>The pending fault's rule for this request, or null when none is left.</summary>
    public ResponseRule? Take()
    {
        lock (_gate)
        {
            if (_rule is not { } rule)
            {
                return null;
            }

            if (--_left == 0)
            {
                _rule = null;
            }

            return rule;
        }
    }
}
