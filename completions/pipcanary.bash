# bash completion for pipcanary
_pipcanary() {
	local cur prev
	cur=${COMP_WORDS[COMP_CWORD]}
	prev=${COMP_WORDS[COMP_CWORD-1]}
	case $prev in
	-r|--requirement|-l|--lock|-o|--output|--rules|--keep-trace|--config)
		COMPREPLY=($(compgen -f -- "$cur")); return ;;
	--python)
		COMPREPLY=($(compgen -c -- "$cur")); return ;;
	--stop-at)
		COMPREPLY=($(compgen -W "low medium high critical" -- "$cur")); return ;;
	--format)
		COMPREPLY=($(compgen -W "text json sarif" -- "$cur")); return ;;
	--lock-hashes)
		COMPREPLY=($(compgen -W "all scanned" -- "$cur")); return ;;
	--lock-on-warnings)
		COMPREPLY=($(compgen -W "write skip" -- "$cur")); return ;;
	--extra|--group|--index-url|--extra-index-url|--api-url|--timeout|\
	--import-timeout|--ignore-vuln|--jobs|--cool-down|--now|--allow-upload-time)
		return ;;
	esac
	COMPREPLY=($(compgen -W "-r --requirement --extra --all-extras --group
		--print-requirements --config --index-url --extra-index-url --api-url
		--python --rules --stop-at --timeout --import-timeout --keep-trace
		--no-scan --no-audit --ignore-vuln --jobs --cool-down --now
		--allow-upload-time -l --lock --lock-hashes --lock-on-warnings
		--format -o --output -q --quiet -v --verbose -h --help --version" -- "$cur"))
}
complete -F _pipcanary pipcanary
