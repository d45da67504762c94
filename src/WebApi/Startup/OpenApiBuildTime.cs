using System.Reflection;
using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;

namespace AuthPlatform.WebApi.Startup;

/// <summary>
/// The build writes <c>docs/openapi/v1.json</c> (Microsoft.Extensions.ApiDescription.Server): its
/// GetDocument.Insider tool runs Program with a server that listens nowhere. Then nothing may touch
/// a database or a port: Program skips the start-up checks, migrations, signing keys and bootstrap
/// administrator, and the data-protection key ring lives in memory instead of the database.
/// </summary>
public static class OpenApiBuildTime
{
    public static bool IsGeneratingDocument { get; } = Assembly.GetEntryAssembly()?.GetName().Name == "GetDocument.Insider";

    /// <summary>Registered last, when <see cref="IsGeneratingDocument"/>: the services that would reach the database at start.</summary>
    public static IServiceCollection AddBuildTimeDocumentHost(this IServiceCollection services) =>
        services.Configure<KeyManagementOptions>(keys => keys.XmlRepository = new InMemoryXmlRepository());

    private sealed class InMemoryXmlRepository : IXmlRepository
    {
        private readonly List<XElement> _elements = [];

        public IReadOnlyCollection<XElement> GetAllElements()
        {
            lock (_elements)
            {
                return _elements.Select(e => new XElement(e)).ToList();
            }
        }

        public void StoreElement(XElement element, string friendlyName)
        {
            lock (_elements)
            {
                _elements.Add(new XElement(element));
            }
        }
    }
}
