# A private Postfix relay on 127.0.0.1 for the bounce tests: its own configuration, queue and log in folder $1,
# root's postfix(1) starting it (Debian's postfix package; the system instance stays stopped). Routing, by the
# recipient's domain: gone.test is a relay domain whose mail Postfix accepts and then bounces itself (the error
# transport: a real DSN, "Action: failed", 5.1.1); slow.test goes to a closed port (deferred, and a "delayed" DSN
# after delay_warning_time); refused.test is refused at RCPT (a synchronous 550 5.1.1); ok.test is accepted and
# discarded; the bounce domain ($3) goes to the bounce listener on port $2. Sets POSTFIX_PORT and POSTFIX_DIR.
start_postfix() {
  local dir=$1 bounce_port=$2 bounce_domain=$3
  POSTFIX_DIR=$dir
  POSTFIX_PORT=$(free_port)
  mkdir -p "$dir/etc" "$dir/spool" "$dir/data"
  chmod 755 "$dir"
  chown postfix "$dir/data"
  cat > "$dir/etc/main.cf" <<CONF
compatibility_level = 3.6
queue_directory = $dir/spool
data_directory = $dir/data
maillog_file = $dir/maillog
maillog_file_prefixes = $dir
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
myhostname = relay.meiduo.test
mydomain = meiduo.test
mydestination =
alias_maps =
alias_database =
mynetworks = 127.0.0.0/8
relay_domains = gone.test, slow.test, ok.test, refused.test, $bounce_domain
transport_maps = texthash:$dir/etc/transport
smtpd_recipient_restrictions = check_recipient_access texthash:$dir/etc/refused, permit_mynetworks, reject
smtpd_reject_unlisted_recipient = no
delay_warning_time = 1s
queue_run_delay = 1s
minimal_backoff_time = 1s
maximal_backoff_time = 2s
smtp_connect_timeout = 2s
CONF
  printf 'gone.test error:5.1.1 mailbox unknown\nslow.test smtp:[127.0.0.1]:%s\nok.test discard:\n%s smtp:[127.0.0.1]:%s\n' \
    "$(free_port)" "$bounce_domain" "$bounce_port" > "$dir/etc/transport"
  printf 'refused.test 550 5.1.1 mailbox unknown\n' > "$dir/etc/refused"
  # Debian's services, none chrooted (the queue is not under /var/spool), the SMTP server on our port.
  sed -e 's/^\(\S\+\s\+\S\+\s\+\S\+\s\+\S\+\s\+\)y/\1n/' -e "s/^smtp      inet/127.0.0.1:$POSTFIX_PORT inet/" \
    /etc/postfix/master.cf > "$dir/etc/master.cf"
  postfix -c "$dir/etc" start </dev/null >/dev/null 2>&1 || { echo "postfix did not start:" >&2; cat "$dir/maillog" >&2 2>/dev/null; return 1; }
  for _ in $(seq 50); do (exec 3<>"/dev/tcp/127.0.0.1/$POSTFIX_PORT") 2>/dev/null && return 0; sleep 0.1; done
  echo "postfix does not listen on $POSTFIX_PORT" >&2
  return 1
}

stop_postfix() {
  [ -n "${POSTFIX_DIR:-}" ] && postfix -c "$POSTFIX_DIR/etc" stop </dev/null >/dev/null 2>&1 || true
}
