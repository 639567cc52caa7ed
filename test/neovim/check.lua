-- Neovim as a second LSP client (the issue "Prove it in real editors").
--
-- Starts the bundled language server over stdio with Neovim's own LSP client,
-- opens .kpi files, waits for the diagnostics the server publishes and writes
-- what `vim.diagnostic.get` returns for each file as JSON. Written for
-- Debian's Neovim 0.7.2 (no `vim.lsp.start` yet) and later versions.
--
--   KPI_ROOT=/abs/workspace KPI_SERVER=/abs/dist/server.cjs KPI_OUT=/abs/out.json \
--   KPI_FILES="$(printf '%s\n' /abs/workspace/a.kpi /abs/workspace/b.kpi)" \
--   nvim --headless -u NONE -i NONE -n -c 'luafile test/neovim/check.lua'
--
-- Environment:
--   KPI_ROOT     the workspace folder (root_dir and the workspace folder of the client)
--   KPI_SERVER   the server script, run as `node KPI_SERVER --stdio`
--   KPI_FILE     one file to open, or
--   KPI_FILES    several files, one path per line
--   KPI_OUT      where to write the JSON
--   KPI_WAIT_MS  how long to wait for the diagnostics (default 8000)
--   KPI_SETTLE_MS how long the server must stay quiet after the last publish (default 300)
--   KPI_NODE     the node executable (default `node`)
--
-- The JSON: { nvim = "0.7.2", clientId, timedOut, serverExited = { code, signal } or nil,
--   error = "…" (only when the script itself failed), files = { { file, uri,
--   published = n, diagnostics = { { code, codeType, codeSource, line, col,
--   character, endLine, endCol, endCharacter, severity, message, source } } } } }
-- Lines and columns are 0-based; `col`/`endCol` are Neovim's byte columns,
-- `character`/`endCharacter` the same positions in UTF-16 code units (LSP's unit).
-- `code` is a string; `codeType` is its Lua type as Neovim stored it, and
-- `codeSource` where it was found: "diagnostic.code" (0.7.2 sets it, and also
-- the deprecated "user_data.lsp.code", the fallback for other versions).
-- Neovim always quits: exit status 0 when the JSON was written, 1 otherwise.

local env = vim.env
local out = env.KPI_OUT

local function fail_early(message)
  io.stderr:write('check.lua: ' .. message .. '\n')
  vim.cmd('cquit 1')
end

local function write_json(result)
  local f = assert(io.open(out, 'w'))
  f:write(vim.fn.json_encode(result))
  f:close()
end

local SEVERITY = { [1] = 'error', [2] = 'warning', [3] = 'information', [4] = 'hint' }

local function version_string()
  local v = vim.version()
  return string.format('%d.%d.%d', v.major, v.minor, v.patch)
end

--- The UTF-16 column of byte column `col` on 0-based line `lnum` of `bufnr`.
local function utf16(bufnr, lnum, col)
  local line = vim.api.nvim_buf_get_lines(bufnr, lnum, lnum + 1, false)[1]
  if line == nil then return col end
  if col > #line then col = #line end
  local ok, _, u16 = pcall(vim.str_utfindex, line, col)
  if ok and u16 then return u16 end
  return col
end

local function run()
  if not out or out == '' then error('KPI_OUT is not set') end
  local root = env.KPI_ROOT
  local server = env.KPI_SERVER
  if not root or root == '' then error('KPI_ROOT is not set') end
  if not server or server == '' then error('KPI_SERVER is not set') end
  local files = {}
  if env.KPI_FILE and env.KPI_FILE ~= '' then table.insert(files, env.KPI_FILE) end
  for file in string.gmatch(env.KPI_FILES or '', '[^\n]+') do table.insert(files, file) end
  if #files == 0 then error('set KPI_FILE or KPI_FILES') end
  local wait_ms = tonumber(env.KPI_WAIT_MS or '') or 8000
  local settle_ms = tonumber(env.KPI_SETTLE_MS or '') or 300

  -- Count the publishes per document, then let Neovim's own handler store them.
  local published = {}
  local last_publish = nil
  local default_handler = vim.lsp.handlers['textDocument/publishDiagnostics']
  local function on_publish(err, result, ctx, config)
    if result and result.uri then
      published[result.uri] = (published[result.uri] or 0) + 1
      last_publish = vim.loop.now()
    end
    return default_handler(err, result, ctx, config)
  end

  local exited = nil
  local root_uri = vim.uri_from_fname(root)
  local client_id = vim.lsp.start_client({
    name = 'kpi',
    cmd = { env.KPI_NODE or 'node', server, '--stdio' },
    root_dir = root,
    workspace_folders = { { uri = root_uri, name = vim.fn.fnamemodify(root, ':t') } },
    handlers = { ['textDocument/publishDiagnostics'] = on_publish },
    on_exit = function(code, signal) exited = { code = code, signal = signal } end,
  })
  if not client_id then error('vim.lsp.start_client did not start `node ' .. server .. ' --stdio`') end

  local buffers = {}
  for _, file in ipairs(files) do
    local bufnr = vim.fn.bufadd(file)
    vim.fn.bufload(bufnr)
    vim.api.nvim_buf_set_option(bufnr, 'filetype', 'kpi')
    if not vim.lsp.buf_attach_client(bufnr, client_id) then
      error('vim.lsp.buf_attach_client failed for ' .. file)
    end
    table.insert(buffers, { file = file, bufnr = bufnr, uri = vim.uri_from_bufnr(bufnr) })
  end

  -- Every file has had its diagnostics published (an empty list counts), and
  -- the server has been quiet for a moment, so a later, fuller publish would
  -- already be here.
  local function settled()
    if exited then return true end
    for _, b in ipairs(buffers) do
      if not published[b.uri] then return false end
    end
    return last_publish ~= nil and vim.loop.now() - last_publish >= settle_ms
  end
  local done = vim.wait(wait_ms, settled, 20)

  local result = {
    nvim = version_string(),
    clientId = client_id,
    timedOut = not done,
    serverExited = exited,
    files = {},
  }
  for _, b in ipairs(buffers) do
    local diagnostics = {}
    for _, d in ipairs(vim.diagnostic.get(b.bufnr)) do
      local code, code_source = d.code, 'diagnostic.code'
      if code == nil then
        local lsp = d.user_data and d.user_data.lsp
        if lsp and lsp.code ~= nil then code, code_source = lsp.code, 'user_data.lsp.code' else code_source = 'none' end
      end
      local end_lnum = d.end_lnum or d.lnum
      local end_col = d.end_col or d.col
      table.insert(diagnostics, {
        code = code ~= nil and tostring(code) or vim.NIL,
        codeType = type(code),
        codeSource = code_source,
        line = d.lnum,
        col = d.col,
        character = utf16(b.bufnr, d.lnum, d.col),
        endLine = end_lnum,
        endCol = end_col,
        endCharacter = utf16(b.bufnr, end_lnum, end_col),
        severity = SEVERITY[d.severity] or tostring(d.severity),
        message = d.message,
        source = d.source or vim.NIL,
      })
    end
    table.insert(result.files, {
      file = b.file,
      uri = b.uri,
      published = published[b.uri] or 0,
      diagnostics = diagnostics,
    })
  end
  write_json(result)

  -- Shut the server down politely before quitting.
  vim.lsp.stop_client(client_id)
  vim.wait(2000, function() return exited ~= nil end, 20)
end

local ok, err = pcall(run)
if not ok then
  if out and out ~= '' then pcall(write_json, { nvim = version_string(), error = tostring(err) }) end
  fail_early(tostring(err))
else
  vim.cmd('qall!')
end
