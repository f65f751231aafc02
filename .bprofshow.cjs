const fs=require('fs');const dir=process.argv[2];
const p=JSON.parse(fs.readFileSync(fs.readdirSync(dir).map(f=>dir+'/'+f)[0]));
const self=new Map();const byId=new Map(p.nodes.map(n=>[n.id,n]));
const cnt=new Map();for(const s of p.samples){cnt.set(s,(cnt.get(s)||0)+1);}
let tot=0;for(const [id,c] of cnt){const n=byId.get(id);const k=n.callFrame.functionName+' '+n.callFrame.url.split('/').slice(-2).join('/')+':'+n.callFrame.lineNumber;self.set(k,(self.get(k)||0)+c);tot+=c;}
for(const [k,c] of [...self].sort((a,b)=>b[1]-a[1]).slice(0,22))console.log((100*c/tot).toFixed(1),k);
