/**
 * keepalived runs from the node image's own package, as a systemd service, not as a static pod.
 *
 * Why: the image kprod used (osixia/keepalived:2.0.20) has not changed since 2020, and no
 * maintained upstream keepalived container image exists (keepalived ships no image;
 * docker-library has none). The distribution package does get security fixes: on the Ubuntu
 * 24.04 node images (`ubuntu-2404-kube-v<version>`) it is keepalived 2.2.x from the Ubuntu
 * archive, patched by Ubuntu's security updates and `unattended-upgrades`. Its version is the
 * archive's (pinned by the OS image, not by kprod); a host without `apt-get` must have it in the
 * image already.
 *
 * The service reads /etc/keepalived/keepalived.conf, the conventional path KubeadmControlPlane
 * `files[]` writes (with the check script beside it), and runs as root so that it can move the
 * VIP (the check script runs as `script_user root` with `enable_script_security`).
 */

/** Package name in the node image's distribution (Ubuntu/Debian). */
export const KEEPALIVED_PACKAGE = 'keepalived';

/**
 * preKubeadmCommands after the config is in place: install the package unless the image has it
 * (no recommends: no extra daemons), then (re)start the service on kprod's config.
 */
export const KEEPALIVED_HOST_COMMANDS: readonly string[] = [
  `command -v keepalived >/dev/null 2>&1 || { apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends ${KEEPALIVED_PACKAGE}; }`,
  'systemctl enable keepalived && systemctl restart keepalived',
];
