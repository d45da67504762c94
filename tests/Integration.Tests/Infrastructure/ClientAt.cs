using System.Net;

namespace AuthPlatform.Integration.Tests.Infrastructure;

/// <summary>
/// Test clients with a connection address of their own: the TestServer leaves
/// <c>Connection.RemoteIpAddress</c> empty, so without these every request would fall in one
/// "unknown" partition and the trusted-proxy path would never run.
/// </summary>
public static class ClientAt
{
    /// <summary>A client connected from <paramref name="connectedFrom"/>, sending no <c>X-Forwarded-For</c> of its own.</summary>
    public static HttpClient Connection(AuthApiFactory factory, string connectedFrom)
    {
        var handler = factory.Server.CreateHandler(context => context.Connection.RemoteIpAddress = IPAddress.Parse(connectedFrom));
        return new HttpClient(handler) { BaseAddress = factory.Server.BaseAddress };
    }

    /// <summary>A client at <paramref name="address"/> behind <paramref name="proxy"/>, which names it in <c>X-Forwarded-For</c>.</summary>
    public static HttpClient Behind(AuthApiFactory factory, string proxy, string address)
    {
        var client = Connection(factory, proxy);
        client.DefaultRequestHeaders.Add("X-Forwarded-For", address);
        return client;
    }
}
