using System.Net;
using System.Security.Cryptography;
using System.Text;

namespace SseFlights.Http;

/// <summary>The control API's bearer token check, in constant time (both sides hashed first, so not even the length leaks).</summary>
internal sealed class ControlAuth(string token)
{
    private readonly byte[] _expected = SHA256.HashData(Encoding.UTF8.GetBytes(token));

    /// <summary>A random token for when none was given: 32 bytes, base64url.</summary>
    public static string NewToken() =>
        Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public bool Allows(HttpListenerRequest request)
    {
        string? header = request.Headers["Authorization"];
        if (header is null || !header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        byte[] given = SHA256.HashData(Encoding.UTF8.GetBytes(header["Bearer ".Length..].Trim()));
        return CryptographicOperations.FixedTimeEquals(given, _expected);
    }
}
