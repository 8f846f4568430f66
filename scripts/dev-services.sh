#!/usr/bin/env bash
# Makes sure MariaDB, Redis, espeak-ng and sox (with AMR-NB) are installed and running on this machine, and that
# Debian's chromium (the console's browser tests drive it; never a downloaded browser) and a CJK font are there,
# without systemd. Idempotent: installs only what is missing, starts only what is not running.
set -euo pipefail

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

need=()
command -v mariadbd >/dev/null 2>&1 || [ -x /usr/sbin/mariadbd ] || need+=(mariadb-server)
command -v redis-server >/dev/null 2>&1 || need+=(redis-server)
command -v espeak-ng >/dev/null 2>&1 || need+=(espeak-ng)
command -v sox >/dev/null 2>&1 || need+=(sox)
dpkg -s libsox-fmt-base >/dev/null 2>&1 || need+=(libsox-fmt-base)
[ -x /usr/bin/chromium ] || need+=(chromium)
# The console is Simplified Chinese; without a CJK font the browser tests' screenshots show empty boxes.
dpkg -s fonts-wqy-microhei >/dev/null 2>&1 || need+=(fonts-wqy-microhei)
if ((${#need[@]})); then
  echo "installing: ${need[*]}"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

if ! mysqladmin ping -h127.0.0.1 -uroot --silent >/dev/null 2>&1 && ! mysqladmin ping --silent >/dev/null 2>&1; then
  echo "starting MariaDB"
  as_root mkdir -p /run/mysqld /var/log/mysql
  as_root chown mysql:mysql /run/mysqld /var/log/mysql
  as_root start-stop-daemon --start --oknodo --quiet --background --exec /usr/sbin/mariadbd -- --user=mysql --log-error=/var/log/mysql/error.log
  for _ in $(seq 1 60); do mysqladmin ping --silent >/dev/null 2>&1 && break; sleep 0.5; done
fi
mysqladmin ping --silent >/dev/null 2>&1 || mysqladmin ping -h127.0.0.1 -uroot --silent

# The service connects over TCP as root with an empty password (API.md 9 defaults); a fresh Debian
# MariaDB only lets root in over the unix socket.
if ! mysql -h127.0.0.1 -uroot -e 'SELECT 1' >/dev/null 2>&1; then
  echo "allowing root with an empty password over TCP"
  as_root mysql -uroot -e "ALTER USER 'root'@'localhost' IDENTIFIED VIA mysql_native_password USING PASSWORD('') OR unix_socket; FLUSH PRIVILEGES;"
fi

if ! redis-cli -h 127.0.0.1 ping >/dev/null 2>&1; then
  echo "starting Redis"
  as_root mkdir -p /var/log/redis /var/lib/redis
  as_root redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no --dir /var/lib/redis --logfile /var/log/redis/redis-6379.log
  for _ in $(seq 1 40); do redis-cli -h 127.0.0.1 ping >/dev/null 2>&1 && break; sleep 0.25; done
fi
redis-cli -h 127.0.0.1 ping >/dev/null

echo "MariaDB, Redis, espeak-ng, sox and chromium are ready"
